using Exai.Supabase;
using Exai.Supabase.Prompts;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Prompt settings on the builder <c>AddExaiSupabase</c> returns.</summary>
public static class ExaiPromptsBuilderExtensions
{
    /// <summary>
    /// Registers prompts in code: the last link of the lookup chain, used when the database has no active version for
    /// a tool or cannot be reached before anything was cached. Safe to call more than once; every call adds.
    /// </summary>
    /// <param name="builder">The builder <c>AddExaiSupabase</c> returned.</param>
    /// <param name="register">Adds fallbacks, e.g. <c>f =&gt; f.Add("debug", null, DebugPrompt.Text)</c>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IExaiSupabaseBuilder AddPromptFallbacks(this IExaiSupabaseBuilder builder, Action<PromptFallbackCollection> register)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(register);
        builder.Services.Configure<ExaiSupabaseOptions>(o => register(o.Prompts.Fallbacks));
        return builder;
    }

    /// <summary>Sets prompt options in code (they may also come from the configuration section <c>Exai:Prompts</c>).</summary>
    /// <param name="builder">The builder <c>AddExaiSupabase</c> returned.</param>
    /// <param name="configure">Sets options.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IExaiSupabaseBuilder ConfigurePrompts(this IExaiSupabaseBuilder builder, Action<PromptOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<ExaiSupabaseOptions>(o => configure(o.Prompts));
        return builder;
    }
}

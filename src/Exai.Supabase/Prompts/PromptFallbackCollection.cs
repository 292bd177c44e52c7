using System.Collections.ObjectModel;

namespace Exai.Supabase.Prompts;

/// <summary>The prompts registered in code (<see cref="PromptOptions.Fallbacks"/>), the last link of the lookup chain.</summary>
public sealed class PromptFallbackCollection : Collection<PromptFallback>
{
    /// <summary>Registers a prompt for <paramref name="tool"/> and <paramref name="provider"/>.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider; <see langword="null"/> for every provider of the tool.</param>
    /// <param name="content">The prompt text.</param>
    /// <param name="tier">The tier, 0 to 3.</param>
    /// <param name="version">The version label reported for it.</param>
    /// <returns>This collection, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tool"/> or <paramref name="content"/> is <see langword="null"/>.</exception>
    /// <remarks>The values are checked with the other options when the host starts.</remarks>
    public PromptFallbackCollection Add(string tool, string? provider, string content, int tier = 0, string version = PromptDefaults.FallbackVersion)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(content);
        Add(new PromptFallback { Tool = tool, Provider = provider, Content = content, Tier = tier, Version = version });
        return this;
    }
}

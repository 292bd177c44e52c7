using Exai.Supabase.Files.Internal;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Security.Internal;
using Exai.Supabase.Realtime.Internal;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exai.Supabase.DependencyInjection.Internal;

/// <summary>Checks the options at host start, so a bad setting fails there rather than at the first query.</summary>
internal sealed class ExaiSupabaseOptionsValidator : IValidateOptions<ExaiSupabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, ExaiSupabaseOptions options)
    {
        var failures = new List<string>();
        ValidateConnectionString(
            options.ConnectionString,
            nameof(ExaiSupabaseOptions.ConnectionString),
            $"ConnectionStrings:{ExaiSupabaseOptions.ConnectionStringName} (environment variable ConnectionStrings__{ExaiSupabaseOptions.ConnectionStringName})",
            required: true,
            failures);
        ValidateConnectionString(
            options.DirectConnectionString,
            nameof(ExaiSupabaseOptions.DirectConnectionString),
            $"ConnectionStrings:{ExaiSupabaseOptions.DirectConnectionStringName} (environment variable ConnectionStrings__{ExaiSupabaseOptions.DirectConnectionStringName})",
            required: false,
            failures);
        if (string.IsNullOrWhiteSpace(options.ApplicationName))
        {
            failures.Add($"{nameof(ExaiSupabaseOptions)}.{nameof(ExaiSupabaseOptions.ApplicationName)} is empty; give it a name (the default is 'Exai.Supabase').");
        }

        OutboxOptionsValidation.Validate(options.Outbox, failures);
        SupabaseAuthOptionsValidation.Validate(options.Auth, failures);
        FilesOptionsValidation.Validate(options.Files, failures);
        Prompts.Internal.PromptOptionsValidation.Validate(options.Prompts, failures);
        RealtimeOptionsValidation.Validate(options.Realtime, failures);
        ConversationOptionsValidation.Validate(options.Conversations, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateConnectionString(string? value, string property, string source, bool required, List<string> failures)
    {
        var option = $"{nameof(ExaiSupabaseOptions)}.{property}";
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                failures.Add($"{option} is not set. Set {source}, or pass it to AddExaiSupabase(o => o.{property} = \"Host=…;Database=…;Username=…;Password=…\").");
            }

            return;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // The value is not echoed: it may hold a password.
            failures.Add($"{option} is not a valid PostgreSQL connection string ({ex.Message}). Use the form \"Host=…;Port=5432;Database=…;Username=…;Password=…\" ({source}).");
            return;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            failures.Add($"{option} ({ExaiSupabaseOptions.Redact(value)}) names no Host. Add Host=<server> to it ({source}).");
        }
    }
}

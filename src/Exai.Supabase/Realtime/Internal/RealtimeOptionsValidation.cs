using System.ComponentModel.DataAnnotations;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>The checks of <see cref="RealtimeOptions"/>, each message naming the option, its value and the fix.</summary>
internal static class RealtimeOptionsValidation
{
    public static void Validate(RealtimeOptions options, List<string> failures)
    {
        const string Prefix = "ExaiSupabaseOptions.Realtime.";
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{Prefix}{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        }

        Positive(options.StatusInterval, nameof(RealtimeOptions.StatusInterval), "1 second");
        Positive(options.ReconnectDelay, nameof(RealtimeOptions.ReconnectDelay), "250 milliseconds");
        Positive(options.SlotCheckInterval, nameof(RealtimeOptions.SlotCheckInterval), "1 minute");
        Positive(options.ServerTimeout, nameof(RealtimeOptions.ServerTimeout), "60 seconds");
        if (options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"{Prefix}{nameof(RealtimeOptions.MaxReconnectDelay)} ({options.MaxReconnectDelay}) is below {nameof(RealtimeOptions.ReconnectDelay)} ({options.ReconnectDelay}); raise it.");
        }

        if (options.ServerTimeout <= options.StatusInterval)
        {
            failures.Add($"{Prefix}{nameof(RealtimeOptions.ServerTimeout)} ({options.ServerTimeout}) must exceed {nameof(RealtimeOptions.StatusInterval)} ({options.StatusInterval}), or a quiet but healthy connection is taken as dead.");
        }

        if (!SlotNames.IsValidPrefix(options.SlotNamePrefix))
        {
            failures.Add($"{Prefix}{nameof(RealtimeOptions.SlotNamePrefix)} ('{options.SlotNamePrefix}') must be at most 43 lower-case letters, digits and underscores (the default is 'exai_').");
        }

        void Positive(TimeSpan value, string name, string defaultValue)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{Prefix}{name} is {value}; it must be positive (the default is {defaultValue}).");
            }
        }
    }
}

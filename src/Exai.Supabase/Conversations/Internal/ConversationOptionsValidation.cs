using System.ComponentModel.DataAnnotations;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>The checks of <see cref="ConversationOptions"/>, each message naming the option, its value and the fix.</summary>
internal static class ConversationOptionsValidation
{
    public static void Validate(ConversationOptions options, List<string> failures)
    {
        const string Prefix = "ExaiSupabaseOptions.Conversations.";
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{Prefix}{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        }

        PositiveOrOff(options.SlidingExpiration, nameof(ConversationOptions.SlidingExpiration), "30 days");
        PositiveOrOff(options.AbsoluteExpiration, nameof(ConversationOptions.AbsoluteExpiration), "null (off)");
        Positive(options.CleanupInterval, nameof(ConversationOptions.CleanupInterval), "5 minutes");
        Positive(options.ReadTimeout, nameof(ConversationOptions.ReadTimeout), "2 seconds");
        if (options.OutageProbeInterval < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(ConversationOptions.OutageProbeInterval)} is {options.OutageProbeInterval}; it must not be negative (the default is 1 second; zero tries the database on every read).");
        }

        void Positive(TimeSpan value, string name, string defaultValue)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{Prefix}{name} is {value}; it must be positive (the default is {defaultValue}).");
            }
        }

        void PositiveOrOff(TimeSpan? value, string name, string defaultValue)
        {
            if (value is { } set && set <= TimeSpan.Zero)
            {
                failures.Add($"{Prefix}{name} is {set}; it must be positive, or null to switch it off (the default is {defaultValue}).");
            }
        }
    }
}

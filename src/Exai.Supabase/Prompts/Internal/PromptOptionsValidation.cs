using System.ComponentModel.DataAnnotations;
using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>Checks <see cref="PromptOptions"/> at host start; messages name the option, its value and the fix.</summary>
internal static class PromptOptionsValidation
{
    private const string Prefix = "ExaiSupabaseOptions.Prompts.";

    public static void Validate(PromptOptions options, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{Prefix}{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        }

        Positive(options.RefreshInterval, nameof(PromptOptions.RefreshInterval), "60 seconds");
        Positive(options.ReconnectDelay, nameof(PromptOptions.ReconnectDelay), "250 milliseconds");
        if (options.LoadTimeout < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(PromptOptions.LoadTimeout)} is {options.LoadTimeout}; it must not be negative (0 never waits; the default is 2 seconds).");
        }

        if (options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"{Prefix}{nameof(PromptOptions.MaxReconnectDelay)} ({options.MaxReconnectDelay}) is below {nameof(PromptOptions.ReconnectDelay)} ({options.ReconnectDelay}); raise it (the default is 30 seconds).");
        }

        var seen = new Dictionary<PromptKey, int>();
        for (var i = 0; i < options.Fallbacks.Count; i++)
        {
            var name = $"{Prefix}{nameof(PromptOptions.Fallbacks)}[{i}]";
            var fallback = options.Fallbacks[i];
            if (fallback is null)
            {
                failures.Add($"{name} is null; remove it.");
                continue;
            }

            try
            {
                InputGuard.Required(fallback.Tool, $"{name}.{nameof(PromptFallback.Tool)}", Limits.NameLength);
                InputGuard.Optional(fallback.Provider, $"{name}.{nameof(PromptFallback.Provider)}", Limits.NameLength);
                InputGuard.Required(fallback.Content, $"{name}.{nameof(PromptFallback.Content)}", Limits.ContentLength);
                InputGuard.Required(fallback.Version, $"{name}.{nameof(PromptFallback.Version)}", Limits.NameLength);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{ex.Message} Fix the fallback registered for tool '{fallback.Tool}'.");
                continue;
            }

            if (fallback.Tier is < 0 or > 3)
            {
                failures.Add($"{name}.{nameof(PromptFallback.Tier)} is {fallback.Tier}; a tier is 0, 1, 2 or 3.");
            }

            var key = PromptChain.KeyOf(fallback);
            if (seen.TryGetValue(key, out var first))
            {
                failures.Add($"{name} registers {key} again (first at {nameof(PromptOptions.Fallbacks)}[{first}]); keep one.");
            }
            else
            {
                seen[key] = i;
            }
        }

        void Positive(TimeSpan value, string option, string defaultValue)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{Prefix}{option} is {value}; it must be positive (the default is {defaultValue}).");
            }
        }
    }
}

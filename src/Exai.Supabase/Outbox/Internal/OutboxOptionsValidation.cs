using System.ComponentModel.DataAnnotations;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>The checks of <see cref="OutboxOptions"/>, each message naming the option, its value and the fix.</summary>
internal static class OutboxOptionsValidation
{
    public static void Validate(OutboxOptions options, List<string> failures)
    {
        const string Prefix = "ExaiSupabaseOptions.Outbox.";
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{Prefix}{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        }

        Positive(options.MaxBatchAge, nameof(OutboxOptions.MaxBatchAge), "100 milliseconds");
        Positive(options.SpillFsyncInterval, nameof(OutboxOptions.SpillFsyncInterval), "200 milliseconds");
        Positive(options.RetryDelay, nameof(OutboxOptions.RetryDelay), "100 milliseconds");
        Positive(options.ParentWaitTimeout, nameof(OutboxOptions.ParentWaitTimeout), "1 hour");
        if (options.MaxRetryDelay < options.RetryDelay)
        {
            failures.Add($"{Prefix}{nameof(OutboxOptions.MaxRetryDelay)} ({options.MaxRetryDelay}) is below {nameof(OutboxOptions.RetryDelay)} ({options.RetryDelay}); raise it.");
        }

        if (options.SpillAfter < TimeSpan.Zero || options.ShutdownMargin < TimeSpan.Zero || options.FullWaitTimeout < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{nameof(OutboxOptions.SpillAfter)}, {nameof(OutboxOptions.ShutdownMargin)} and {nameof(OutboxOptions.FullWaitTimeout)} must not be negative.");
        }

        if (options.MaxBatchRecords > options.MaxQueuedRecords)
        {
            failures.Add($"{Prefix}{nameof(OutboxOptions.MaxBatchRecords)} ({options.MaxBatchRecords}) exceeds {nameof(OutboxOptions.MaxQueuedRecords)} ({options.MaxQueuedRecords}); a batch must fit in memory.");
        }

        if (options.SpillSegmentBytes > options.MaxSpillBytes)
        {
            failures.Add($"{Prefix}{nameof(OutboxOptions.SpillSegmentBytes)} ({options.SpillSegmentBytes}) exceeds {nameof(OutboxOptions.MaxSpillBytes)} ({options.MaxSpillBytes}).");
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

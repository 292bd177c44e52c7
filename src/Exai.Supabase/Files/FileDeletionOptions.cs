namespace Exai.Supabase.Files;

/// <summary>The deletion worker: how often it looks for due jobs, how many it works at once, how it retries.</summary>
public sealed class FileDeletionOptions
{
    /// <summary>Whether this process runs the worker (another instance may run it instead).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How long the worker waits between looks for due jobs when it found none.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan PollInterval { get; set; } = FilesDefaults.DeletionPollInterval;

    /// <summary>How many jobs one worker claims and works at once.</summary>
    /// <value>The default value is 4.</value>
    public int Concurrency { get; set; } = FilesDefaults.DeletionConcurrency;

    /// <summary>Attempts per job before it is marked failed.</summary>
    /// <value>The default value is 8.</value>
    public int MaxAttempts { get; set; } = FilesDefaults.DeletionMaxAttempts;

    /// <summary>The wait after a job's first failed attempt; it doubles (jittered) up to <see cref="MaxRetryDelay"/>, or follows a provider's longer <c>Retry-After</c>.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryDelay { get; set; } = FilesDefaults.DeletionRetryDelay;

    /// <summary>The longest wait between a job's attempts.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan MaxRetryDelay { get; set; } = FilesDefaults.DeletionMaxRetryDelay;

    /// <summary>How long a job may stay running before another worker takes it over (its worker is presumed dead).</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan LockTimeout { get; set; } = FilesDefaults.DeletionLockTimeout;
}

namespace Exai.Supabase.Outbox;

/// <summary>The default values of <see cref="OutboxOptions"/>, in one place.</summary>
public static class OutboxDefaults
{
    /// <summary>100,000 records in memory.</summary>
    public const int MaxQueuedRecords = 100_000;

    /// <summary>64 MiB in memory.</summary>
    public const long MaxQueuedBytes = 64L * 1024 * 1024;

    /// <summary>10,000 records a batch.</summary>
    public const int MaxBatchRecords = 10_000;

    /// <summary>16 MiB a batch.</summary>
    public const long MaxBatchBytes = 16L * 1024 * 1024;

    /// <summary>1 GiB of spill segments.</summary>
    public const long MaxSpillBytes = 1024L * 1024 * 1024;

    /// <summary>16 MiB a segment.</summary>
    public const int SpillSegmentBytes = 16 * 1024 * 1024;

    /// <summary>100 ms.</summary>
    public static readonly TimeSpan MaxBatchAge = TimeSpan.FromMilliseconds(100);

    /// <summary>200 ms.</summary>
    public static readonly TimeSpan SpillFsyncInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>1 s.</summary>
    public static readonly TimeSpan SpillAfter = TimeSpan.FromSeconds(1);

    /// <summary>5 s.</summary>
    public static readonly TimeSpan FullWaitTimeout = TimeSpan.FromSeconds(5);

    /// <summary>100 ms.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>10 s.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>1 hour.</summary>
    public static readonly TimeSpan ParentWaitTimeout = TimeSpan.FromHours(1);

    /// <summary>2 s.</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(2);

    /// <summary>30 s.</summary>
    public static readonly TimeSpan DegradedLag = TimeSpan.FromSeconds(30);

    /// <summary>The spill root used when <see cref="OutboxOptions.SpillDirectory"/> is not set.</summary>
    public static string SpillDirectory
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
            if (string.IsNullOrEmpty(root))
            {
                root = Path.GetTempPath();
            }

            return Path.Combine(root, "exai-supabase", "outbox");
        }
    }
}

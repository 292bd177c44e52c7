namespace Exai.Supabase.Conversations;

/// <summary>The default values of <see cref="ConversationOptions"/>, in one place.</summary>
public static class ConversationDefaults
{
    /// <summary>Threads whose newest turns are kept in memory for reads while the database is unreachable: 1,000.</summary>
    public const int CachedThreads = 1_000;

    /// <summary>Turns kept per cached thread (the newest): 200.</summary>
    public const int CachedMessagesPerThread = 200;

    /// <summary>Estimated bytes of the whole thread cache: 64 MiB.</summary>
    public const long CacheBytes = 64L * 1024 * 1024;

    /// <summary>Turns recorded by this process and not yet in the database that reads merge in: 100,000.</summary>
    public const int MaxPendingMessages = 100_000;

    /// <summary>Estimated bytes of those pending turns: 64 MiB.</summary>
    public const long MaxPendingBytes = 64L * 1024 * 1024;

    /// <summary>Threads deleted per clean-up transaction: 100.</summary>
    public const int CleanupBatchSize = 100;

    /// <summary>Sliding expiry: 30 days after the last appended turn.</summary>
    public static readonly TimeSpan SlidingExpiration = TimeSpan.FromDays(30);

    /// <summary>Time between clean-up runs: 5 minutes.</summary>
    public static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);

    /// <summary>The longest a read waits for the database before it serves this process's own view instead: 2 seconds.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>After a read found the database unreachable, reads use this process's own view for 1 second before trying again.</summary>
    public static readonly TimeSpan OutageProbeInterval = TimeSpan.FromSeconds(1);
}

using System.ComponentModel.DataAnnotations;

namespace Exai.Supabase.Conversations;

/// <summary>
/// Expiry, clean-up and the in-process views of conversation threads. Bound from <c>Exai:Conversations</c>.
/// </summary>
/// <remarks>
/// A thread expires at <c>LEAST(last activity + SlidingExpiration, created + AbsoluteExpiration)</c>, computed when
/// a turn lands; either part may be switched off with <see langword="null"/>. An expired thread is hidden from reads
/// at once and deleted (with its turns and file links) by the background clean-up.
/// </remarks>
public sealed class ConversationOptions
{
    /// <summary>How long a thread lives after its last appended turn; <see langword="null"/> for no sliding expiry.</summary>
    /// <value>The default value is 30 days.</value>
    public TimeSpan? SlidingExpiration { get; set; } = ConversationDefaults.SlidingExpiration;

    /// <summary>How long a thread lives after it was created, however active; <see langword="null"/> for no maximum age.</summary>
    /// <value>The default value is <see langword="null"/> (off).</value>
    public TimeSpan? AbsoluteExpiration { get; set; }

    /// <summary>Whether this process runs the background clean-up that deletes expired threads.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableCleanup { get; set; } = true;

    /// <summary>Time between clean-up runs.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan CleanupInterval { get; set; } = ConversationDefaults.CleanupInterval;

    /// <summary>Threads deleted per clean-up transaction (small batches keep locks short).</summary>
    /// <value>The default value is 100.</value>
    [Range(1, 10_000)]
    public int CleanupBatchSize { get; set; } = ConversationDefaults.CleanupBatchSize;

    /// <summary>Threads whose newest turns this process keeps, to serve reads while the database is unreachable.</summary>
    /// <value>The default value is 1,000; 0 disables the cache.</value>
    [Range(0, 1_000_000)]
    public int CachedThreads { get; set; } = ConversationDefaults.CachedThreads;

    /// <summary>Newest turns kept per cached thread.</summary>
    /// <value>The default value is 200.</value>
    [Range(1, ConversationLimits.MaxMessagesPerRead)]
    public int CachedMessagesPerThread { get; set; } = ConversationDefaults.CachedMessagesPerThread;

    /// <summary>Estimated bytes the thread cache may hold; the least recently used threads go first.</summary>
    /// <value>The default value is 64 MiB.</value>
    [Range(0, long.MaxValue)]
    public long CacheBytes { get; set; } = ConversationDefaults.CacheBytes;

    /// <summary>
    /// Turns recorded by this process and not yet in the database that reads merge in (read-your-writes). Past it,
    /// further turns are still recorded and land, but this process's reads see them only once they have landed.
    /// </summary>
    /// <value>The default value is 100,000.</value>
    [Range(0, int.MaxValue)]
    public int MaxPendingMessages { get; set; } = ConversationDefaults.MaxPendingMessages;

    /// <summary>Estimated bytes of those pending turns.</summary>
    /// <value>The default value is 64 MiB.</value>
    [Range(0, long.MaxValue)]
    public long MaxPendingBytes { get; set; } = ConversationDefaults.MaxPendingBytes;

    /// <summary>The longest a read waits for the database before it serves this process's own view instead.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan ReadTimeout { get; set; } = ConversationDefaults.ReadTimeout;

    /// <summary>After a read found the database unreachable, how long reads use this process's own view before trying it again.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan OutageProbeInterval { get; set; } = ConversationDefaults.OutageProbeInterval;
}

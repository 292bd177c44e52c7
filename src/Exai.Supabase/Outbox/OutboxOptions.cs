using System.ComponentModel.DataAnnotations;

namespace Exai.Supabase.Outbox;

/// <summary>
/// Limits and timings of the outbox that takes every write off the caller's path. Bound from <c>Exai:Outbox</c>.
/// </summary>
/// <remarks>
/// Records wait in memory (at most <see cref="MaxQueuedRecords"/> / <see cref="MaxQueuedBytes"/>) and are written in
/// batches when <see cref="MaxBatchRecords"/> or <see cref="MaxBatchBytes"/> is reached or the oldest has waited
/// <see cref="MaxBatchAge"/>. Past the memory cap, or when the database has been unreachable for
/// <see cref="SpillAfter"/>, a background writer moves records to segment files in <see cref="SpillDirectory"/>
/// (at most <see cref="MaxSpillBytes"/>), replayed in order once the database answers — also by the next process
/// after a crash. When memory is at twice its cap and the spill is full, <see cref="FullMode"/> decides.
/// </remarks>
public sealed class OutboxOptions
{
    /// <summary>Records held in memory before the spill writer moves the oldest to disk.</summary>
    /// <value>The default value is 100,000.</value>
    [Range(1, int.MaxValue)]
    public int MaxQueuedRecords { get; set; } = OutboxDefaults.MaxQueuedRecords;

    /// <summary>Bytes (estimated) held in memory before the spill writer moves the oldest to disk.</summary>
    /// <value>The default value is 64 MiB.</value>
    [Range(1024, long.MaxValue)]
    public long MaxQueuedBytes { get; set; } = OutboxDefaults.MaxQueuedBytes;

    /// <summary>The most records written in one batch (one transaction).</summary>
    /// <value>The default value is 10,000.</value>
    [Range(1, 1_000_000)]
    public int MaxBatchRecords { get; set; } = OutboxDefaults.MaxBatchRecords;

    /// <summary>The most bytes (estimated) written in one batch.</summary>
    /// <value>The default value is 16 MiB.</value>
    [Range(1024, long.MaxValue)]
    public long MaxBatchBytes { get; set; } = OutboxDefaults.MaxBatchBytes;

    /// <summary>How long the oldest waiting record may wait before a batch is written, full or not.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan MaxBatchAge { get; set; } = OutboxDefaults.MaxBatchAge;

    /// <summary>
    /// The folder for spill segments; each process works in a locked sub-folder of its own and adopts those of
    /// processes that died. <see langword="null"/> for the default; an empty string disables spilling (then nothing
    /// survives an outage longer than memory holds, or a crash).
    /// </summary>
    /// <value>The default value is <c>exai-supabase/outbox</c> under the user's local application data folder.</value>
    public string? SpillDirectory { get; set; }

    /// <summary>The most bytes of spill segments kept on disk.</summary>
    /// <value>The default value is 1 GiB.</value>
    [Range(1024 * 1024, long.MaxValue)]
    public long MaxSpillBytes { get; set; } = OutboxDefaults.MaxSpillBytes;

    /// <summary>The size at which a spill segment is closed and a new one started.</summary>
    /// <value>The default value is 16 MiB.</value>
    [Range(64 * 1024, int.MaxValue)]
    public int SpillSegmentBytes { get; set; } = OutboxDefaults.SpillSegmentBytes;

    /// <summary>The longest time spilled records stay in the operating system's cache before an fsync.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan SpillFsyncInterval { get; set; } = OutboxDefaults.SpillFsyncInterval;

    /// <summary>How long the database may be unreachable before queued records are moved to disk.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan SpillAfter { get; set; } = OutboxDefaults.SpillAfter;

    /// <summary>What recording does when memory and spill are both full.</summary>
    /// <value>The default value is <see cref="OutboxFullMode.Drop"/>: the caller never waits.</value>
    public OutboxFullMode FullMode { get; set; } = OutboxFullMode.Drop;

    /// <summary>The longest a caller waits for room with <see cref="OutboxFullMode.Wait"/>.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan FullWaitTimeout { get; set; } = OutboxDefaults.FullWaitTimeout;

    /// <summary>The first wait after a transient failure; it grows (jittered, doubling) to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan RetryDelay { get; set; } = OutboxDefaults.RetryDelay;

    /// <summary>The longest wait between attempts while the database is unreachable. Retries never give up while spill space remains.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan MaxRetryDelay { get; set; } = OutboxDefaults.MaxRetryDelay;

    /// <summary>
    /// How long a record whose parent row has not arrived (a file link before its file, say) waits for it before it
    /// is dead-lettered.
    /// </summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan ParentWaitTimeout { get; set; } = OutboxDefaults.ParentWaitTimeout;

    /// <summary>How long before the host's shutdown deadline the outbox stops writing to the database and spills the rest.</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan ShutdownMargin { get; set; } = OutboxDefaults.ShutdownMargin;

    /// <summary>The lag (age of the oldest unsaved record) above which the health check reports degraded.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DegradedLag { get; set; } = OutboxDefaults.DegradedLag;
}

namespace Exai.Supabase.Outbox;

/// <summary>A snapshot of the outbox's counters since the process started.</summary>
/// <param name="Recorded">Records accepted.</param>
/// <param name="Persisted">Records written to the database.</param>
/// <param name="DeadLettered">Records PostgreSQL refused, kept in <c>outbox_dead_letters</c>.</param>
/// <param name="Dropped">Records dropped, by reason (<c>full</c>, <c>spill_corrupt</c>, <c>spill_torn</c>).</param>
/// <param name="Retries">Batches retried after a transient failure.</param>
/// <param name="Spilled">Records written to spill segments.</param>
/// <param name="Replayed">Records read back from spill segments (this process's and adopted ones).</param>
/// <param name="QueueDepth">Records waiting in memory now.</param>
/// <param name="QueueBytes">Estimated bytes waiting in memory now.</param>
/// <param name="SpillBytes">Bytes of spill segments on disk now.</param>
/// <param name="WaitingForParent">Records waiting for a parent row that has not arrived yet.</param>
/// <param name="Lag">How long the oldest record not yet saved has waited (zero when none waits).</param>
/// <param name="DatabaseAvailable">Whether the last write attempt reached the database.</param>
public sealed record OutboxStatistics(
    long Recorded,
    long Persisted,
    long DeadLettered,
    IReadOnlyDictionary<string, long> Dropped,
    long Retries,
    long Spilled,
    long Replayed,
    long QueueDepth,
    long QueueBytes,
    long SpillBytes,
    long WaitingForParent,
    TimeSpan Lag,
    bool DatabaseAvailable);

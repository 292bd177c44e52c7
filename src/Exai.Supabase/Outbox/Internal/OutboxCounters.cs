using System.Collections.Concurrent;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// The outbox's counters: plain interlocked fields, so counting costs the caller nothing but an increment. The
/// meter's observable instruments and <see cref="IExaiOutbox.GetStatistics"/> read them.
/// </summary>
internal sealed class OutboxCounters
{
    public const string Full = "full";
    public const string SpillTorn = "spill_torn";
    public const string SpillCorrupt = "spill_corrupt";
    public const string Shutdown = "shutdown";
    public const string DeadLetterFailed = "dead_letter_failed";

    private readonly ConcurrentDictionary<string, StrongBox> _dropped = new(StringComparer.Ordinal);
    private long _recorded;
    private long _persisted;
    private long _deadLettered;
    private long _retries;
    private long _spilled;
    private long _replayed;

    public long Recorded => Interlocked.Read(ref _recorded);

    public long Persisted => Interlocked.Read(ref _persisted);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public long Retries => Interlocked.Read(ref _retries);

    public long SpilledCount => Interlocked.Read(ref _spilled);

    public long ReplayedCount => Interlocked.Read(ref _replayed);

    public void RecordedOne() => Interlocked.Increment(ref _recorded);

    public void PersistedMany(int count) => Interlocked.Add(ref _persisted, count);

    public void DeadLetteredOne() => Interlocked.Increment(ref _deadLettered);

    public void RetriedOne() => Interlocked.Increment(ref _retries);

    public void Spilled(int count) => Interlocked.Add(ref _spilled, count);

    public void Replayed(int count) => Interlocked.Add(ref _replayed, count);

    public void Dropped(string reason, long count) => Interlocked.Add(ref _dropped.GetOrAdd(reason, _ => new StrongBox()).Value, count);

    public IReadOnlyDictionary<string, long> DroppedByReason() =>
        _dropped.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);

    private sealed class StrongBox
    {
        public long Value;
    }
}

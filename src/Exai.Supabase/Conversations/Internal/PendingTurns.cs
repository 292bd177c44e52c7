using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// Read-your-writes: the turns, thread creations and deletes this process recorded and the database has not confirmed
/// yet, per thread and scope. Reads take a snapshot before they query the database and merge it in, so a turn is
/// never missed while it moves from here to the database. An append only links its turn onto a log (one atomic
/// exchange, no lock, no lookup); whoever needs the per-thread view next — a read, a delete, a sweep — first moves
/// the log into it (<see cref="CatchUp"/>), dropping turns that have already landed without ever filing them. The
/// outbox tells each record's landing (or abandonment); a landed turn moves into <see cref="ThreadHistoryCache"/>.
/// Records read back from a spill segment are new objects: their kinds re-attach them
/// (<see cref="Reattach(MessageRecord)"/>), and a read that finds a pending turn in the database drops it too.
/// </summary>
/// <remarks>
/// Bounded by <see cref="ConversationOptions.MaxPendingMessages"/> and <see cref="ConversationOptions.MaxPendingBytes"/>:
/// past them new turns are still recorded and land, but are not tracked here (counted in <see cref="Untracked"/>).
/// </remarks>
internal sealed class PendingTurns
{
    // An emptied entry lingers this long before a sweep removes it: a busy thread's next turns, once filed, then find
    // its entry instead of a new one being allocated and inserted.
    private static readonly long Linger = Stopwatch.Frequency * 5;
    private const int SweepEvery = 4_096;

    private readonly ConcurrentDictionary<ThreadKey, PendingThread> _threads = new();
    private readonly ThreadHistoryCache _cache;
    private readonly ILogger _logger;
    private readonly int _maxCount;
    private readonly long _maxBytes;
    private readonly Action<ConversationRecord> _threadSettled;
    private readonly Action<ConversationDeleteRecord> _deleteSettled;
    private readonly object _logGate = new();

    // The log of tracked turns: appenders exchange the tail and link the previous one to theirs; _logHead (guarded by
    // _logGate) is the last turn moved into the map, or the sentinel. What the appenders share sits on a cache line of
    // its own, away from the fields the drain thread writes.
    private MessageRecord _logHead;
    private PaddedCounters _tracked;
    private int _settled;
    private long _untracked;
    private int _capLogged;

    public PendingTurns(IOptions<ExaiSupabaseOptions> options, ThreadHistoryCache cache, ILogger<PendingTurns> logger)
    {
        _cache = cache;
        _logger = logger;
        _maxCount = options.Value.Conversations.MaxPendingMessages;
        _maxBytes = options.Value.Conversations.MaxPendingBytes;
        _logHead = new MessageRecord { Id = Guid.Empty, RecordedAt = default, ContinuationId = string.Empty, Role = string.Empty, Content = string.Empty };
        _tracked.Tail = _logHead;
        _threadSettled = OnThreadSettled;
        _deleteSettled = OnDeleteSettled;
    }

    /// <summary>Pending turns now, not counting settled ones awaiting pruning (counted by a scan; for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            CatchUp();
            var count = 0;
            foreach (var (_, entry) in _threads)
            {
                lock (entry.Gate)
                {
                    count += entry.Messages.Count(m => !m.Settled);
                }
            }

            return count;
        }
    }

    /// <summary>Their estimated bytes.</summary>
    public long Bytes => Interlocked.Read(ref _tracked.Bytes);

    /// <summary>Threads with pending state now (counted by a scan; for tests and diagnostics).</summary>
    public int Threads
    {
        get
        {
            CatchUp();
            var count = 0;
            foreach (var (_, entry) in _threads)
            {
                lock (entry.Gate)
                {
                    count += entry.Thread is not null || entry.Delete is not null || entry.Messages.Exists(m => !m.Settled) ? 1 : 0;
                }
            }

            return count;
        }
    }

    /// <summary>Entries in the map, lingering empty ones included.</summary>
    public int Entries => _threads.Count;

    /// <summary>Turns not tracked because the caps were reached.</summary>
    public long Untracked => Interlocked.Read(ref _untracked);

    /// <summary>
    /// Tracks a turn about to be recorded (call before handing it to the outbox, so its landing finds it). Costs the
    /// caller two counter updates and a link onto the log: the turn is filed under its thread later, off its path.
    /// </summary>
    public void Track(MessageRecord record)
    {
        var bytes = record.EstimatedBytes;
        var count = Interlocked.Increment(ref _tracked.Count);
        var total = Interlocked.Add(ref _tracked.Bytes, bytes);
        if (count > _maxCount || total > _maxBytes)
        {
            Untrack((1, bytes));
            Interlocked.Increment(ref _untracked);
            if (Interlocked.Exchange(ref _capLogged, 1) == 0)
            {
                ConversationsLog.PendingCapReached(_logger, _maxCount, _maxBytes);
            }

            return;
        }

        record.Tracker = this;
        var previous = Interlocked.Exchange(ref _tracked.Tail, record);
        Volatile.Write(ref previous.NextTracked, record);
    }

    /// <summary>
    /// Files the turns linked onto the log since the last call under their threads; turns that have settled meanwhile
    /// are dropped without being filed. Callers must not hold a thread entry's lock.
    /// </summary>
    internal void CatchUp()
    {
        if (ReferenceEquals(Volatile.Read(ref _tracked.Tail), Volatile.Read(ref _logHead)))
        {
            return;
        }

        lock (_logGate)
        {
            var head = _logHead;
            var dropped = 0;
            long droppedBytes = 0;
            var spinner = default(SpinWait);
            while (true)
            {
                var next = Volatile.Read(ref head.NextTracked);
                if (next is null)
                {
                    if (ReferenceEquals(Volatile.Read(ref _tracked.Tail), head))
                    {
                        break;
                    }

                    // An appender has taken the tail but not linked it yet: it is between two instructions.
                    spinner.SpinOnce();
                    continue;
                }

                // Moved past: unlinked, so a turn that lingers in the view (waiting for its parent, say) does not keep
                // every later turn reachable.
                head.NextTracked = null;
                head = next;
                if (next.Settled)
                {
                    dropped++;
                    droppedBytes += next.EstimatedBytes;
                    continue;
                }

                FileUnderThread(next);
            }

            Volatile.Write(ref _logHead, head);
            Untrack((dropped, droppedBytes));
        }
    }

    private void FileUnderThread(MessageRecord record)
    {
        var key = new ThreadKey(record.ScopeUserId, record.ContinuationId);
        while (true)
        {
            var entry = _threads.GetOrAdd(key, static _ => new PendingThread());
            lock (entry.Gate)
            {
                if (!entry.Removed)
                {
                    entry.Messages.Add(record);
                    entry.EmptySince = 0;
                    return;
                }
            }
        }
    }

    /// <summary>Tracks a thread creation (or fill) about to be recorded.</summary>
    public void Track(ConversationRecord record)
    {
        record.Settled = _threadSettled;
        Update(new ThreadKey(record.ScopeUserId, record.ContinuationId), entry => entry.Thread = record);
    }

    /// <summary>Tracks a delete about to be recorded: pending turns and the cached history of the thread are dropped at once.</summary>
    public void Track(ConversationDeleteRecord record)
    {
        // Turns appended before the delete must be filed first, so that it clears them.
        CatchUp();
        record.Settled = _deleteSettled;
        var key = new ThreadKey(record.ScopeUserId, record.ContinuationId);
        Update(key, entry =>
        {
            long bytes = 0;
            foreach (var message in entry.Messages)
            {
                bytes += message.EstimatedBytes;
            }

            Untrack((entry.Messages.Count, bytes));
            entry.Messages.Clear();
            entry.Thread = null;
            entry.Delete = record;
        });
        _cache.Remove(key);
    }

    public void Reattach(MessageRecord record)
    {
        record.Restored = true;
        record.Tracker = this;
    }

    public void Reattach(ConversationRecord record) => record.Settled = _threadSettled;

    public void Reattach(ConversationDeleteRecord record) => record.Settled = _deleteSettled;

    public PendingSnapshot Snapshot(ThreadKey key)
    {
        CatchUp();
        if (!_threads.TryGetValue(key, out var entry))
        {
            return PendingSnapshot.Empty;
        }

        lock (entry.Gate)
        {
            Untrack(entry.Prune());
            if (entry.IsEmpty)
            {
                return PendingSnapshot.Empty;
            }

            var open = entry.Messages.Count == 0 ? [] : entry.Messages.Where(m => !m.Settled).ToArray();
            return open.Length == 0 && entry.Thread is null && entry.Delete is null
                ? PendingSnapshot.Empty
                : new PendingSnapshot(open, entry.Thread, entry.Delete?.RecordedAt);
        }
    }

    /// <summary>The pending thread creations (in any thread of this process) that <paramref name="match"/> selects.</summary>
    public List<ConversationRecord> PendingThreads(Func<ConversationRecord, bool> match)
    {
        var found = new List<ConversationRecord>();
        foreach (var (_, entry) in _threads)
        {
            lock (entry.Gate)
            {
                if (entry.Thread is { } thread && match(thread))
                {
                    found.Add(thread);
                }
            }
        }

        return found;
    }

    /// <summary>Drops pending turns the database returned: their landing was not reported (a spill replay by another object, say).</summary>
    public void Reconcile(ThreadKey key, PendingSnapshot snapshot, IReadOnlyList<ConversationMessage> stored)
    {
        if (snapshot.Messages.Length == 0 || stored.Count == 0)
        {
            return;
        }

        var ids = snapshot.MessageIds()!;
        foreach (var message in stored)
        {
            if (ids.Contains(message.Id))
            {
                Remove(key, message.Id);
            }
        }
    }

    public static ConversationMessage ToMessage(MessageRecord record, bool pending) => new()
    {
        Id = record.Id,
        ContinuationId = record.ContinuationId,
        Role = record.Role,
        Content = record.Content,
        ContentsJson = record.Contents,
        ToolName = record.ToolName,
        Provider = record.Provider,
        Model = record.Model,
        InputTokens = record.InputTokens,
        OutputTokens = record.OutputTokens,
        TokenCount = record.TokenCount,
        ToolCallId = record.ToolCallId,
        MetadataJson = record.Metadata == "{}" ? null : record.Metadata,
        CreatedAt = record.RecordedAt,
        IsPending = pending,
    };

    // The drain's side: it only flags the record (and feeds the cache); the thread's entry is pruned by its next read
    // or a sweep, and a turn not filed yet is dropped when the log is read, so landing a turn takes no thread's lock
    // (only a record read back from a spill, found by id, and the sweep every SweepEvery landings do).
    internal void OnMessageLanded(MessageRecord record)
    {
        var key = new ThreadKey(record.ScopeUserId, record.ContinuationId);
        var deleted = _threads.TryGetValue(key, out var entry) && entry.Delete is { } delete && delete.RecordedAt >= record.RecordedAt;

        // Into the cache before it leaves the pending view: a read in between sees it twice (and dedupes), never not at all.
        if (!deleted)
        {
            // A record read back from a spill segment refers to its segment: the cache keeps a plain copy of it.
            _cache.AddLanded(key, record.Restored ? CachedTurn.From(ToMessage(record, pending: false)) : CachedTurn.From(record));
        }

        Settle(record);
    }

    internal void OnMessageAbandoned(MessageRecord record) => Settle(record);

    private void Settle(MessageRecord record)
    {
        record.Settled = true;
        if (record.Restored)
        {
            // A new object: the view holds the original, found by id.
            Remove(new ThreadKey(record.ScopeUserId, record.ContinuationId), record.Id);
        }

        if (Interlocked.Increment(ref _settled) % SweepEvery == 0)
        {
            Sweep(Linger);
        }
    }

    private void OnThreadSettled(ConversationRecord record) =>
        Update(new ThreadKey(record.ScopeUserId, record.ContinuationId), entry =>
        {
            if (entry.Thread?.Id == record.Id)
            {
                entry.Thread = null;
            }
        }, create: false);

    private void OnDeleteSettled(ConversationDeleteRecord record) =>
        Update(new ThreadKey(record.ScopeUserId, record.ContinuationId), entry =>
        {
            if (entry.Delete?.Id == record.Id)
            {
                entry.Delete = null;
            }
        }, create: false);

    private void Remove(ThreadKey key, Guid id)
    {
        CatchUp();
        Update(key, entry =>
        {
            var messages = entry.Messages;
            for (var i = 0; i < messages.Count; i++)
            {
                if (messages[i].Id == id)
                {
                    if (!messages[i].Settled)
                    {
                        messages[i].Settled = true;
                    }

                    Untrack((1, messages[i].EstimatedBytes));
                    messages.RemoveAt(i);
                    return;
                }
            }
        }, create: false);
    }

    private void Untrack((int Count, long Bytes) removed)
    {
        if (removed.Count > 0)
        {
            Interlocked.Add(ref _tracked.Count, -removed.Count);
            Interlocked.Add(ref _tracked.Bytes, -removed.Bytes);
        }
    }

    /// <summary>Changes a thread's entry under its lock; an entry left empty leaves the map.</summary>
    private void Update(ThreadKey key, Action<PendingThread> change, bool create = true)
    {
        while (true)
        {
            PendingThread? entry;
            if (create)
            {
                entry = _threads.GetOrAdd(key, static _ => new PendingThread());
            }
            else if (!_threads.TryGetValue(key, out entry))
            {
                return;
            }

            lock (entry.Gate)
            {
                if (entry.Removed)
                {
                    if (!create)
                    {
                        return;
                    }

                    continue;
                }

                change(entry);
                if (entry.IsEmpty && entry.EmptySince == 0)
                {
                    entry.EmptySince = Stopwatch.GetTimestamp();
                }
                else if (!entry.IsEmpty)
                {
                    entry.EmptySince = 0;
                }
            }

            return;
        }
    }

    /// <summary>Removes entries that have been empty for at least <paramref name="linger"/> (Stopwatch ticks).</summary>
    internal void Sweep(long linger)
    {
        CatchUp();
        var now = Stopwatch.GetTimestamp();
        foreach (var (key, entry) in _threads)
        {
            lock (entry.Gate)
            {
                Untrack(entry.Prune());
                if (entry.IsEmpty && entry.EmptySince == 0)
                {
                    entry.EmptySince = now;
                }

                if (entry.IsEmpty && now - entry.EmptySince >= linger && !entry.Removed)
                {
                    entry.Removed = true;
                    _threads.TryRemove(KeyValuePair.Create(key, entry));
                }
            }
        }
    }

    /// <summary>What every appender writes: one cache line, padded off the fields around it.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct PaddedCounters
    {
        private const int CacheLine = 64;

        [FieldOffset(CacheLine)]
        public MessageRecord Tail;

        [FieldOffset(CacheLine + 8)]
        public long Bytes;

        [FieldOffset(CacheLine + 16)]
        public int Count;
    }
}

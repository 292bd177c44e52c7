using Microsoft.Extensions.Options;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// The newest turns (and the thread row) of threads this process read or wrote recently, kept only to serve reads
/// while the database is unreachable. Bounded: at most <see cref="ConversationOptions.CachedThreads"/> threads,
/// <see cref="ConversationOptions.CachedMessagesPerThread"/> turns each and <see cref="ConversationOptions.CacheBytes"/>
/// estimated bytes in all; the least recently used thread goes first. Turns never change once stored, so entries are
/// only ever extended with newer turns (in place, under the lock; readers get copies) or replaced by a fresher read; a
/// thread deleted by this process is dropped. A landed turn is cached as its record (<see cref="CachedTurn"/>) in a
/// circular buffer (<see cref="TurnRing"/>): caching it — the drain does so for every turn this process writes —
/// allocates nothing and moves nothing.
/// </summary>
internal sealed class ThreadHistoryCache
{
    private readonly object _gate = new();
    private readonly Dictionary<ThreadKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new();
    private readonly int _maxThreads;
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private long _bytes;

    public ThreadHistoryCache(IOptions<ExaiSupabaseOptions> options)
    {
        var conversations = options.Value.Conversations;
        _maxThreads = conversations.CachedThreads;
        _maxMessages = conversations.CachedMessagesPerThread;
        _maxBytes = conversations.CacheBytes;
    }

    public bool Enabled => _maxThreads > 0 && _maxBytes > 0;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>
    /// Stores the newest turns of a thread as the database returned them (oldest first). <paramref name="complete"/>
    /// says they are the whole thread. Turns cached earlier join them only where they touch the new window (never
    /// leaving a gap); this process's own turns that landed while the query ran (newer than the window, or pending
    /// when it started: <paramref name="pendingAtStart"/>) are kept.
    /// </summary>
    public void StoreNewest(ThreadKey key, IReadOnlyList<ConversationMessage> newest, bool complete, IReadOnlyCollection<Guid>? pendingAtStart = null)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var entry = Touch(key);
            var cached = entry.Messages;
            var merged = new List<CachedTurn>(newest.Count + cached.Count);
            var touches = false;
            if (newest.Count > 0)
            {
                var oldest = newest[0];
                var youngest = newest[^1];
                touches = cached.Count > 0 && MessageOrder.Compare(oldest.CreatedAt, oldest.Id, cached[cached.Count - 1].CreatedAt, cached[cached.Count - 1].Id) <= 0;
                for (var i = 0; i < cached.Count; i++)
                {
                    ref readonly var m = ref cached[i];
                    var older = MessageOrder.Compare(m.CreatedAt, m.Id, oldest.CreatedAt, oldest.Id) < 0;
                    var newer = MessageOrder.Compare(m.CreatedAt, m.Id, youngest.CreatedAt, youngest.Id) > 0;
                    if ((older && touches && !complete) || newer || (pendingAtStart?.Contains(m.Id) == true && (older || newer)))
                    {
                        merged.Add(m);
                    }
                }

                foreach (var message in newest)
                {
                    merged.Add(CachedTurn.From(message));
                }

                merged.Sort(static (a, b) => CachedTurn.Compare(a, b));
            }
            else if (pendingAtStart is { Count: > 0 })
            {
                merged.AddRange(cached.ToList().Where(m => pendingAtStart.Contains(m.Id)));
            }

            entry.Complete = complete || (touches && entry.Complete);
            Replace(entry, merged);
        }
    }

    /// <summary>Adds one turn this process wrote and the database has confirmed (it is newest, as a rule: appended in place).</summary>
    public void AddLanded(ThreadKey key, in CachedTurn message)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var entry = Touch(key);
            var messages = entry.Messages;
            var at = messages.Count;
            while (at > 0 && CachedTurn.Compare(messages[at - 1], message) >= 0)
            {
                if (messages[at - 1].Id == message.Id)
                {
                    return;
                }

                at--;
            }

            messages.Insert(at, message);
            var bytes = message.EstimatedBytes;
            entry.Bytes += bytes;
            _bytes += bytes;
            if (messages.Count > _maxMessages)
            {
                var dropped = messages[0].EstimatedBytes;
                _bytes -= dropped;
                entry.Bytes -= dropped;
                messages.RemoveFirst();
                entry.Complete = false;
            }

            Trim();
        }
    }

    public void StoreThread(ThreadKey key, ConversationThread thread)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            var entry = Touch(key);
            _bytes += Estimate(thread) - (entry.Thread is null ? 0 : Estimate(entry.Thread));
            entry.Thread = thread;
            Trim();
        }
    }

    /// <summary>A copy of what is cached for the thread, or <see langword="null"/>.</summary>
    public (IReadOnlyList<ConversationMessage> Messages, bool Complete, ConversationThread? Thread)? Get(ThreadKey key)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var node))
            {
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            var entry = node.Value;
            return (entry.Messages.ToMessages(), entry.Complete, entry.Thread);
        }
    }

    public void Remove(ThreadKey key)
    {
        lock (_gate)
        {
            if (_entries.Remove(key, out var node))
            {
                _recency.Remove(node);
                _bytes -= node.Value.Bytes + (node.Value.Thread is null ? 0 : Estimate(node.Value.Thread));
            }
        }
    }

    /// <summary>
    /// Drops what is cached of an erased user: entries read or written in the user's scope, entries whose thread row
    /// names the user as owner, and entries of the given threads (read in the service scope).
    /// </summary>
    public void RemoveUser(Guid userId, IReadOnlyCollection<string> continuationIds)
    {
        var threads = continuationIds as ISet<string> ?? new HashSet<string>(continuationIds, StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var (key, node) in _entries.ToList())
            {
                if (key.UserId == userId || node.Value.Thread?.UserId == userId || threads.Contains(key.ContinuationId))
                {
                    _entries.Remove(key);
                    _recency.Remove(node);
                    _bytes -= node.Value.Bytes + (node.Value.Thread is null ? 0 : Estimate(node.Value.Thread));
                }
            }
        }
    }

    private static long Estimate(ConversationThread thread) =>
        250 + (2L * (thread.ContinuationId.Length + (thread.Title?.Length ?? 0) + (thread.MetadataJson?.Length ?? 0)));

    private Entry Touch(ThreadKey key)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value;
        }

        var entry = new Entry(key);
        _entries[key] = _recency.AddFirst(entry);
        return entry;
    }

    /// <summary>Swaps in the merged turns, cut to the newest ones, and evicts past the caps.</summary>
    private void Replace(Entry entry, List<CachedTurn> messages)
    {
        if (messages.Count > _maxMessages)
        {
            messages.RemoveRange(0, messages.Count - _maxMessages);
            entry.Complete = false;
        }

        long bytes = 0;
        foreach (var message in messages)
        {
            bytes += message.EstimatedBytes;
        }

        _bytes += bytes - entry.Bytes;
        entry.Bytes = bytes;
        entry.Messages = TurnRing.From(messages);
        Trim();
    }

    private void Trim()
    {
        while ((_entries.Count > _maxThreads || _bytes > _maxBytes) && _recency.Last is { } last)
        {
            _recency.RemoveLast();
            _entries.Remove(last.Value.Key);
            _bytes -= last.Value.Bytes + (last.Value.Thread is null ? 0 : Estimate(last.Value.Thread));
        }
    }

    private sealed class Entry(ThreadKey key)
    {
        public ThreadKey Key { get; } = key;

        public TurnRing Messages { get; set; } = new();

        public bool Complete { get; set; }

        public ConversationThread? Thread { get; set; }

        public long Bytes { get; set; }
    }
}

namespace Exai.Supabase.Conversations.Internal;

/// <summary>What this process has recorded for one thread (in one scope) and the database has not confirmed yet.</summary>
internal sealed class PendingThread
{
    public object Gate { get; } = new();

    /// <summary>
    /// Turns in the order they were appended, some perhaps already settled (landed or abandoned) and not yet pruned.
    /// Guarded by <see cref="Gate"/>.
    /// </summary>
    public List<MessageRecord> Messages { get; } = [];

    /// <summary>The latest get-or-create not landed yet. Guarded by <see cref="Gate"/>.</summary>
    public ConversationRecord? Thread { get; set; }

    private ConversationDeleteRecord? _delete;

    /// <summary>A delete not landed yet: turns made up to its time are hidden. Written under <see cref="Gate"/>; read without it by the drain.</summary>
    public ConversationDeleteRecord? Delete
    {
        get => Volatile.Read(ref _delete);
        set => Volatile.Write(ref _delete, value);
    }

    /// <summary>Set once the entry left the map; an appender holding it must fetch a fresh one. Guarded by <see cref="Gate"/>.</summary>
    public bool Removed { get; set; }

    /// <summary>When (Stopwatch timestamp) the entry last became empty, or 0. Guarded by <see cref="Gate"/>.</summary>
    public long EmptySince { get; set; }

    public bool IsEmpty => Messages.Count == 0 && Thread is null && Delete is null;

    /// <summary>Drops settled turns from the front (they settle in order, as a rule); returns how many and their bytes.</summary>
    public (int Count, long Bytes) Prune()
    {
        var count = 0;
        long bytes = 0;
        while (count < Messages.Count && Messages[count].Settled)
        {
            bytes += Messages[count].EstimatedBytes;
            count++;
        }

        if (count > 0)
        {
            Messages.RemoveRange(0, count);
        }

        return (count, bytes);
    }
}

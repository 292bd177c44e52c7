namespace Exai.Supabase.Conversations.Internal;

/// <summary>What this process has recorded for one thread (in one scope) and the database has not confirmed yet.</summary>
internal sealed class PendingThread
{
    public object Gate { get; } = new();

    /// <summary>Turns in the order they were appended. Guarded by <see cref="Gate"/>.</summary>
    public List<MessageRecord> Messages { get; } = [];

    /// <summary>The latest get-or-create not landed yet. Guarded by <see cref="Gate"/>.</summary>
    public ConversationRecord? Thread { get; set; }

    /// <summary>A delete not landed yet: turns made up to its time are hidden. Guarded by <see cref="Gate"/>.</summary>
    public ConversationDeleteRecord? Delete { get; set; }

    /// <summary>Set once the entry left the map; an appender holding it must fetch a fresh one. Guarded by <see cref="Gate"/>.</summary>
    public bool Removed { get; set; }

    /// <summary>When (Stopwatch timestamp) the entry last became empty, or 0. Guarded by <see cref="Gate"/>.</summary>
    public long EmptySince { get; set; }

    public bool IsEmpty => Messages.Count == 0 && Thread is null && Delete is null;
}

namespace Exai.Supabase.Conversations.Internal;

/// <summary>A copy of a thread's pending state, taken before a database read so nothing landing meanwhile is missed.</summary>
internal sealed class PendingSnapshot
{
    public static readonly PendingSnapshot Empty = new([], null, null);

    public PendingSnapshot(MessageRecord[] messages, ConversationRecord? thread, DateTimeOffset? deletedAt)
    {
        Messages = messages;
        Thread = thread;
        DeletedAt = deletedAt;
    }

    public MessageRecord[] Messages { get; }

    public ConversationRecord? Thread { get; }

    /// <summary>The time of a delete not landed yet: stored turns made up to it are hidden.</summary>
    public DateTimeOffset? DeletedAt { get; }

    public bool IsEmpty => Messages.Length == 0 && Thread is null && DeletedAt is null;

    public HashSet<Guid>? MessageIds()
    {
        if (Messages.Length == 0)
        {
            return null;
        }

        var ids = new HashSet<Guid>(Messages.Length);
        foreach (var message in Messages)
        {
            ids.Add(message.Id);
        }

        return ids;
    }
}

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// A message landed in a conversation (seen by the change feed). <see cref="IsResync"/> instead says that signals
/// may have been missed (the feed reconnected, or the reader fell behind): re-read the threads you follow.
/// </summary>
/// <param name="ConversationId">The conversation (<c>messages.conversation_id</c>); for threads made by the library <c>ThreadIds.For(continuationId)</c>.</param>
/// <param name="MessageId">The new message's id.</param>
/// <param name="Role">The message's role (<c>user</c>, <c>assistant</c> …).</param>
/// <param name="CommitTime">When it committed.</param>
internal readonly record struct TurnAppended(Guid ConversationId, Guid MessageId, string? Role, DateTimeOffset CommitTime)
{
    public bool IsResync => ConversationId == Guid.Empty;

    public static TurnAppended Resync(DateTimeOffset at) => new(Guid.Empty, Guid.Empty, null, at);

    /// <summary>The signal for a change of <c>messages</c>: inserts only; a gap becomes a resync.</summary>
    public static TurnAppended? From(ChangeEvent change) => change.Kind switch
    {
        ChangeKind.Gap or ChangeKind.Truncate => Resync(change.CommitTime),
        ChangeKind.Insert when change.NewValues.TryGetValue(Persistence.Internal.ColumnNames.ConversationId, out var c) && c is Guid conversation
                               && change.NewValues.TryGetValue(Persistence.Internal.ColumnNames.Id, out var m) && m is Guid message =>
            new TurnAppended(conversation, message, change.NewValues.TryGetValue("role", out var role) ? role as string : null, change.CommitTime),
        _ => null,
    };
}

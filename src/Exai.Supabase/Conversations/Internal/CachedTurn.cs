namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// A turn as <see cref="ThreadHistoryCache"/> keeps it: the <see cref="ConversationMessage"/> a read returned, or —
/// for a turn this process wrote — the landed <see cref="MessageRecord"/> itself, so caching the turns the drain lands
/// allocates nothing. Read back as a <see cref="ConversationMessage"/> only when a read falls back to the cache.
/// </summary>
internal readonly struct CachedTurn
{
    private readonly object _turn;

    private CachedTurn(object turn) => _turn = turn;

    public Guid Id => _turn is MessageRecord record ? record.Id : ((ConversationMessage)_turn).Id;

    public DateTimeOffset CreatedAt => _turn is MessageRecord record ? record.RecordedAt : ((ConversationMessage)_turn).CreatedAt;

    /// <summary>A rough count of the memory the turn holds, for the cache's byte cap.</summary>
    public long EstimatedBytes => _turn is MessageRecord record ? record.EstimatedBytes : Estimate((ConversationMessage)_turn);

    public static CachedTurn From(ConversationMessage message) => new(message);

    /// <summary>A turn this process wrote, once it has landed (the record is not changed after that).</summary>
    public static CachedTurn From(MessageRecord record) => new(record);

    public static int Compare(in CachedTurn a, in CachedTurn b) => MessageOrder.Compare(a.CreatedAt, a.Id, b.CreatedAt, b.Id);

    public ConversationMessage ToMessage() =>
        _turn as ConversationMessage ?? PendingTurns.ToMessage((MessageRecord)_turn, pending: false);

    private static long Estimate(ConversationMessage message) =>
        200 + (2L * (message.Content.Length + (message.ContentsJson?.Length ?? 0) + (message.MetadataJson?.Length ?? 0)
                     + message.ContinuationId.Length + (message.ToolName?.Length ?? 0) + (message.Model?.Length ?? 0)));
}

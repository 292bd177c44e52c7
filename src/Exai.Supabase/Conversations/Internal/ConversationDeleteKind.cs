using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// Lands deletes on demand, after every other conversation kind of the batch (order 90). A delete removes what was
/// made up to its time: the thread row (its turns and links cascade) when nothing was appended after the delete,
/// otherwise only the turns and links made before it. Idempotent: a replay finds nothing older left. A delete made in
/// a user scope of a thread that belongs to someone else is refused (and dead-lettered) rather than left to change
/// nothing under row-level security.
/// </summary>
internal sealed class ConversationDeleteKind(PendingTurns view) : RecordKind<ConversationDeleteRecord>
{
    private static readonly CopyColumn<ConversationDeleteRecord>[] Copy =
    [
        Column.Of<ConversationDeleteRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Text<ConversationDeleteRecord>("continuation_id", r => r.ContinuationId),
        Column.Nullable<ConversationDeleteRecord, Guid>("scope_user_id", NpgsqlDbType.Uuid, r => r.ScopeUserId),
        Column.Of<ConversationDeleteRecord, DateTimeOffset>("deleted_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => ConversationDeleteRecord.Kind;

    public override int Order => 90;

    protected override IReadOnlyList<CopyColumn<ConversationDeleteRecord>> Columns => Copy;

    protected override string PrepareSql(string staging) =>
        ForeignRows.RefuseSql(staging, TableNames.Conversations, "t.continuation_id = s.continuation_id", "scope_user_id", "the thread to delete");

    protected override string LandingSql(string staging) => $"""
        DELETE FROM {TableNames.Schema}.{TableNames.Messages} m
        USING {staging} s, {TableNames.Schema}.{TableNames.Conversations} c
        WHERE c.continuation_id = s.continuation_id AND m.conversation_id = c.id
          AND c.last_activity_at > s.deleted_at AND m.created_at <= s.deleted_at;

        DELETE FROM {TableNames.Schema}.{TableNames.ConversationFiles} f
        USING {staging} s, {TableNames.Schema}.{TableNames.Conversations} c
        WHERE c.continuation_id = s.continuation_id AND f.conversation_id = c.id
          AND c.last_activity_at > s.deleted_at AND f.created_at <= s.deleted_at;

        DELETE FROM {TableNames.Schema}.{TableNames.Conversations} c
        USING {staging} s
        WHERE c.continuation_id = s.continuation_id AND c.last_activity_at <= s.deleted_at;
        """;

    protected override void Restored(ConversationDeleteRecord record) => view.Reattach(record);
}

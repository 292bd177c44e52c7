using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// Lands thread get-or-creates: one upsert on <c>continuation_id</c>; on conflict the existing values win, empty
/// fields are filled, metadata keys are added, the last activity only moves forward and the expiry follows it. A
/// thread that had expired when the record was made is deleted first, so the continuation id starts afresh. A thread
/// naming a session waits for that session's row.
/// </summary>
internal sealed class ConversationKind(ConversationExpiry expiry, PendingTurns view) : RecordKind<ConversationRecord>
{
    private static readonly CopyColumn<ConversationRecord>[] Copy =
    [
        Column.Of<ConversationRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Of<ConversationRecord, Guid>("thread_id", NpgsqlDbType.Uuid, r => r.ThreadId),
        Column.Text<ConversationRecord>("continuation_id", r => r.ContinuationId),
        Column.Nullable<ConversationRecord, Guid>("session_id", NpgsqlDbType.Uuid, r => r.SessionId),
        Column.Nullable<ConversationRecord, Guid>("user_id", NpgsqlDbType.Uuid, r => r.OwnerUserId ?? r.ScopeUserId),
        Column.Text<ConversationRecord>("parent_continuation_id", r => r.ParentContinuationId),
        Column.Text<ConversationRecord>("title", r => r.Title),
        Column.Text<ConversationRecord>("tool_name", r => r.ToolName),
        Column.Text<ConversationRecord>("provider", r => r.Provider),
        Column.Text<ConversationRecord>("model", r => r.Model),
        Column.Text<ConversationRecord>("metadata", r => r.Metadata, NpgsqlDbType.Jsonb),
        Column.Of<ConversationRecord, DateTimeOffset>("created_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => ConversationRecord.Kind;

    public override int Order => 20;

    protected override IReadOnlyList<CopyColumn<ConversationRecord>> Columns => Copy;

    protected override string MissingParentSql(string staging) => $"""
        SELECT s.id FROM {staging} s
        WHERE s.session_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.Sessions} x WHERE x.id = s.session_id)
        """;

    // Records of one thread in the same batch combine as if they had landed one by one: the earliest value of each
    // field wins, later records fill what is still empty, metadata keys are added (earliest first).
    protected override string LandingSql(string staging) => $"""
        {ConversationExpiry.DeleteExpiredSql(staging)}

        INSERT INTO {TableNames.Schema}.{TableNames.Conversations} AS c
            (id, continuation_id, session_id, user_id, parent_continuation_id, title, tool_name, provider, model,
             metadata, created_at, last_activity_at, expires_at)
        SELECT (array_agg(thread_id ORDER BY created_at))[1], continuation_id,
               {First("session_id")}, {First("user_id")}, {First("parent_continuation_id")}, {First("title")},
               {First("tool_name")}, {First("provider")}, {First("model")},
               COALESCE((SELECT jsonb_object_agg(e.key, e.value)
                         FROM (SELECT DISTINCT ON (kv.key) kv.key, kv.value
                               FROM {staging} s2 CROSS JOIN LATERAL jsonb_each(s2.metadata) kv
                               WHERE s2.continuation_id = g.continuation_id
                               ORDER BY kv.key, s2.created_at) e), {ModelDefaults.EmptyJsonObject}),
               min(created_at), max(created_at),
               {ConversationExpiry.Expression("max(created_at)", "min(created_at)")}
        FROM {staging} g
        GROUP BY continuation_id
        ON CONFLICT (continuation_id) DO UPDATE SET
            session_id = COALESCE(c.session_id, EXCLUDED.session_id),
            user_id = COALESCE(c.user_id, EXCLUDED.user_id),
            parent_continuation_id = COALESCE(c.parent_continuation_id, EXCLUDED.parent_continuation_id),
            title = COALESCE(c.title, EXCLUDED.title),
            tool_name = COALESCE(c.tool_name, EXCLUDED.tool_name),
            provider = COALESCE(c.provider, EXCLUDED.provider),
            model = COALESCE(c.model, EXCLUDED.model),
            metadata = EXCLUDED.metadata || c.metadata,
            last_activity_at = GREATEST(c.last_activity_at, EXCLUDED.last_activity_at),
            expires_at = {ConversationExpiry.Expression("GREATEST(c.last_activity_at, EXCLUDED.last_activity_at)", "c.created_at")};
        """;

    private static string First(string column) => $"(array_agg({column} ORDER BY created_at) FILTER (WHERE {column} IS NOT NULL))[1]";

    protected override void AddLandingParameters(NpgsqlCommand command) => expiry.AddParameters(command);

    protected override void Restored(ConversationRecord record) => view.Reattach(record);
}

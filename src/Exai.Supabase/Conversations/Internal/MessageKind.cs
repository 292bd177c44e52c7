using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// Lands turns. Their thread is made if no instance has made it yet (every instance agrees on its id, see
/// <see cref="ThreadIds"/>), its last activity moves forward and its expiry with it; a thread made elsewhere (adopted)
/// is found by continuation id; a thread that had expired when the turn was made is deleted first, so the
/// continuation id starts afresh. Messages land insert-if-absent on their UUIDv7 id, so a replay changes nothing; a
/// turn appended in the service scope to a user's thread is owned by that user.
/// </summary>
internal sealed class MessageKind(ConversationExpiry expiry, PendingTurns view) : RecordKind<MessageRecord>
{
    private static readonly CopyColumn<MessageRecord>[] Copy =
    [
        Column.Of<MessageRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Text<MessageRecord>("continuation_id", r => r.ContinuationId),
        Column.Of<MessageRecord, Guid>("thread_id", NpgsqlDbType.Uuid, r => r.ThreadId),
        Column.Nullable<MessageRecord, Guid>("user_id", NpgsqlDbType.Uuid, r => r.ScopeUserId),
        Column.Text<MessageRecord>("role", r => r.Role),
        Column.Text<MessageRecord>("content", r => r.Content),
        Column.Text<MessageRecord>("contents", r => r.Contents, NpgsqlDbType.Jsonb),
        Column.Text<MessageRecord>("tool_name", r => r.ToolName),
        Column.Text<MessageRecord>("provider", r => r.Provider),
        Column.Text<MessageRecord>("model", r => r.Model),
        Column.Nullable<MessageRecord, int>("input_tokens", NpgsqlDbType.Integer, r => r.InputTokens),
        Column.Nullable<MessageRecord, int>("output_tokens", NpgsqlDbType.Integer, r => r.OutputTokens),
        Column.Nullable<MessageRecord, int>("token_count", NpgsqlDbType.Integer, r => r.TokenCount),
        Column.Text<MessageRecord>("tool_call_id", r => r.ToolCallId),
        Column.Text<MessageRecord>("metadata", r => r.Metadata, NpgsqlDbType.Jsonb),
        Column.Of<MessageRecord, DateTimeOffset>("created_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => MessageRecord.Kind;

    public override int Order => 30;

    protected override IReadOnlyList<CopyColumn<MessageRecord>> Columns => Copy;

    // A thread adopted from a legacy database (or made with another id) is found by continuation id, as the
    // session's role so row-level security cannot hide it: a user appending to someone else's thread must be refused,
    // not silently given a thread of their own. Threads are looked up once per distinct id, through the index: joined
    // straight to a large batch, PostgreSQL hashes the whole conversations table instead (220 ms a batch at 300,000
    // threads, 11 ms this way).
    protected override string PrepareSql(string staging) => $"""
        UPDATE {staging} s SET thread_id = c.id
        FROM (SELECT DISTINCT continuation_id FROM {staging}) d
        JOIN {TableNames.Schema}.{TableNames.Conversations} c ON c.continuation_id = d.continuation_id
        WHERE s.continuation_id = d.continuation_id AND c.id <> s.thread_id
        """;

    // The thread upsert takes each continuation id's first turn and its last time in one sort: the window is ordered
    // the way DISTINCT ON needs, and by "C" (byte order; equality is the same under any deterministic collation), so
    // PostgreSQL neither sorts twice nor calls the locale's collation 10,000 times a batch (halves this statement). The
    // turns' owners are read per distinct thread, as above.
    protected override string LandingSql(string staging) => $"""
        {ConversationExpiry.DeleteExpiredSql(staging)}

        INSERT INTO {TableNames.Schema}.{TableNames.Conversations} AS c (id, continuation_id, user_id, created_at, last_activity_at, expires_at)
        SELECT DISTINCT ON (continuation_id COLLATE "C") thread_id, continuation_id, user_id, created_at, last_at,
               {ConversationExpiry.Expression("last_at", "created_at")}
        FROM (SELECT thread_id, continuation_id, user_id, created_at,
                     max(created_at) OVER (PARTITION BY continuation_id COLLATE "C" ORDER BY created_at
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_at
              FROM {staging}) s
        ORDER BY continuation_id COLLATE "C", created_at
        ON CONFLICT (continuation_id) DO UPDATE SET
            last_activity_at = EXCLUDED.last_activity_at,
            expires_at = {ConversationExpiry.Expression("EXCLUDED.last_activity_at", "c.created_at")}
        WHERE c.last_activity_at < EXCLUDED.last_activity_at;

        INSERT INTO {TableNames.Schema}.{TableNames.Messages}
            (id, conversation_id, user_id, role, content, contents, tool_name, provider, model,
             input_tokens, output_tokens, token_count, tool_call_id, metadata, created_at)
        SELECT s.id, s.thread_id, COALESCE(s.user_id, c.user_id), s.role, s.content, s.contents, s.tool_name, s.provider, s.model,
               s.input_tokens, s.output_tokens, s.token_count, s.tool_call_id, s.metadata, s.created_at
        FROM {staging} s
        LEFT JOIN (SELECT c.id, c.user_id
                   FROM (SELECT DISTINCT thread_id FROM {staging}) d
                   JOIN {TableNames.Schema}.{TableNames.Conversations} c ON c.id = d.thread_id) c ON c.id = s.thread_id
        ON CONFLICT (id) DO NOTHING;
        """;

    protected override void AddLandingParameters(NpgsqlCommand command) => expiry.AddParameters(command);

    protected override void Restored(MessageRecord record) => view.Reattach(record);
}

using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// Lands turns. Their thread is made if no instance has made it yet (every instance agrees on its id, see
/// <see cref="ThreadIds"/>), its last activity moves forward and its expiry with it; a thread made elsewhere (adopted)
/// is found by continuation id; a thread that had expired when the turn was made is deleted first, so the
/// continuation id starts afresh. Messages land insert-if-absent on their UUIDv7 id, so a replay changes nothing (a
/// first attempt, which cannot meet its own rows, inserts without arbitrating conflicts); a turn appended in the
/// service scope to a user's thread is owned by that user.
/// </summary>
internal sealed class MessageKind(ConversationExpiry expiry, PendingTurns view) : RecordKind<MessageRecord>
{
    // What a turn carries besides its ids: the same in the staging table and in a straight COPY into messages.
    private static readonly CopyColumn<MessageRecord>[] Payload =
    [
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

    private static readonly CopyColumn<MessageRecord>[] Copy =
    [
        Column.Of<MessageRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Text<MessageRecord>("continuation_id", r => r.ContinuationId),
        Column.Of<MessageRecord, Guid>("thread_id", NpgsqlDbType.Uuid, r => r.ThreadId),
        Column.Nullable<MessageRecord, Guid>("user_id", NpgsqlDbType.Uuid, r => r.ScopeUserId),
        .. Payload,
    ];

    // How a thread upserted for a batch of turns (aliased c) moves on when it exists: its last activity, and its expiry
    // with it, only ever forward. Both landings use it.
    private static readonly string MoveOn = $"""
        ON CONFLICT (continuation_id) DO UPDATE SET
            last_activity_at = EXCLUDED.last_activity_at,
            expires_at = {ConversationExpiry.Expression("EXCLUDED.last_activity_at", "c.created_at")}
        WHERE c.last_activity_at < EXCLUDED.last_activity_at;
        """;

    private static readonly string StraightCopy =
        $"COPY {TableNames.Schema}.{TableNames.Messages} (id, conversation_id, user_id, {string.Join(", ", Payload.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";

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
    protected override string LandingSql(string staging) => Landing(staging, "ON CONFLICT (id) DO NOTHING");

    // A first attempt cannot find its messages saved already, and a plain insert costs about a sixth less than one
    // that arbitrates conflicts (each row's speculative insertion writes an extra WAL record).
    protected override string FirstLandingSql(string staging) => Landing(staging, string.Empty);

    private static string Landing(string staging, string onConflict) => $"""
        {ConversationExpiry.DeleteExpiredSql(staging)}

        INSERT INTO {TableNames.Schema}.{TableNames.Conversations} AS c (id, continuation_id, user_id, created_at, last_activity_at, expires_at)
        SELECT DISTINCT ON (continuation_id COLLATE "C") thread_id, continuation_id, user_id, created_at, last_at,
               {ConversationExpiry.Expression("last_at", "created_at")}
        FROM (SELECT thread_id, continuation_id, user_id, created_at,
                     max(created_at) OVER (PARTITION BY continuation_id COLLATE "C" ORDER BY created_at
                                           ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_at
              FROM {staging}) s
        ORDER BY continuation_id COLLATE "C", created_at
        {MoveOn}

        INSERT INTO {TableNames.Schema}.{TableNames.Messages}
            (id, conversation_id, user_id, role, content, contents, tool_name, provider, model,
             input_tokens, output_tokens, token_count, tool_call_id, metadata, created_at)
        SELECT s.id, s.thread_id, COALESCE(s.user_id, c.user_id), s.role, s.content, s.contents, s.tool_name, s.provider, s.model,
               s.input_tokens, s.output_tokens, s.token_count, s.tool_call_id, s.metadata, s.created_at
        FROM {staging} s
        LEFT JOIN (SELECT c.id, c.user_id
                   FROM (SELECT DISTINCT thread_id FROM {staging}) d
                   JOIN {TableNames.Schema}.{TableNames.Conversations} c ON c.id = d.thread_id) c ON c.id = s.thread_id
        {onConflict};
        """;

    protected override void AddLandingParameters(NpgsqlCommand command) => expiry.AddParameters(command);

    /// <summary>
    /// A first attempt in the service scope skips the staging table: the batch's threads (one row each, worked out
    /// here) are moved on as the staged landing would, their ids and owners read back, and the turns copied straight
    /// into <c>messages</c> (PostgreSQL's multi-row insert, as fast as a raw COPY). Not where row-level security
    /// applies to the session's role (COPY FROM refuses such tables); a unique violation (the turn was saved after all)
    /// sends the batch back through the staged, replay-safe landing.
    /// </summary>
    public override async Task<bool> TryLandFirstAttemptAsync(LandingContext context, IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken)
    {
        if (await context.RowSecurityActiveAsync($"{TableNames.Schema}.{TableNames.Messages}", cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var landed = await MoveThreadsOnAsync(context, ThreadSpans(records), cancellationToken).ConfigureAwait(false);
        if (landed is null)
        {
            return false;
        }

        var importer = await context.Connection.BeginBinaryImportAsync(StraightCopy, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var record in records)
            {
                var turn = (MessageRecord)record;
                var (threadId, owner) = landed[turn.ContinuationId];
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                importer.Write(turn.Id, NpgsqlDbType.Uuid);
                importer.Write(threadId, NpgsqlDbType.Uuid);
                if ((turn.ScopeUserId ?? owner) is { } userId)
                {
                    importer.Write(userId, NpgsqlDbType.Uuid);
                }
                else
                {
                    importer.WriteNull();
                }

                foreach (var column in Payload)
                {
                    column.Write(importer, turn);
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Each continuation id's first turn (its thread id and time) and last time, in the batch's order of first appearance.</summary>
    private static List<ThreadSpan> ThreadSpans(IReadOnlyList<OutboxRecord> records)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var spans = new List<ThreadSpan>();
        foreach (var record in records)
        {
            var turn = (MessageRecord)record;
            if (!index.TryGetValue(turn.ContinuationId, out var i))
            {
                index.Add(turn.ContinuationId, spans.Count);
                spans.Add(new ThreadSpan(turn.ContinuationId, turn.ThreadId, turn.RecordedAt, turn.RecordedAt));
                continue;
            }

            var span = spans[i];
            if (turn.RecordedAt < span.FirstAt)
            {
                span = span with { ThreadId = turn.ThreadId, FirstAt = turn.RecordedAt };
            }

            spans[i] = turn.RecordedAt > span.LastAt ? span with { LastAt = turn.RecordedAt } : span;
        }

        return spans;
    }

    /// <summary>
    /// What the staged landing does to threads, from one row per thread: deletes those expired before their first
    /// turn, makes or moves on the rest (in byte order of continuation id, as the staged landing locks them), and
    /// returns each one's id and owner; <see langword="null"/> if one is not there (then the staged landing runs).
    /// </summary>
    private async Task<Dictionary<string, (Guid Id, Guid? Owner)>?> MoveThreadsOnAsync(LandingContext context, List<ThreadSpan> spans, CancellationToken cancellationToken)
    {
        const string Threads = "unnest(@thread_ids, @continuation_ids, @first_at, @last_at) AS s(id, continuation_id, first_at, last_at)";
        using var command = new NpgsqlCommand(
            $"""
            {ConversationExpiry.DeleteExpiredBeforeSql(Threads)}

            INSERT INTO {TableNames.Schema}.{TableNames.Conversations} AS c (id, continuation_id, created_at, last_activity_at, expires_at)
            SELECT id, continuation_id, first_at, last_at, {ConversationExpiry.Expression("last_at", "first_at")}
            FROM {Threads}
            ORDER BY continuation_id COLLATE "C"
            {MoveOn}

            SELECT c.continuation_id, c.id, c.user_id
            FROM {TableNames.Schema}.{TableNames.Conversations} c
            WHERE c.continuation_id = ANY (@continuation_ids);
            """,
            context.Connection,
            context.Transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("thread_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = spans.Select(s => s.ThreadId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<string[]>("continuation_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = spans.Select(s => s.ContinuationId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("first_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = spans.Select(s => s.FirstAt).ToArray() });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("last_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = spans.Select(s => s.LastAt).ToArray() });
        expiry.AddParameters(command);

        var landed = new Dictionary<string, (Guid Id, Guid? Owner)>(spans.Count, StringComparer.Ordinal);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                landed[reader.GetString(0)] = (reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetGuid(2));
            }
        }

        return spans.TrueForAll(s => landed.ContainsKey(s.ContinuationId)) ? landed : null;
    }

    protected override void Restored(MessageRecord record) => view.Reattach(record);

    private readonly record struct ThreadSpan(string ContinuationId, Guid ThreadId, DateTimeOffset FirstAt, DateTimeOffset LastAt);
}

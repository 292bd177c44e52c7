using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// Lands thread-to-file links after the turns that made them (order 40). A link whose file (or thread) is not in the
/// database yet waits for it; a thread made elsewhere is found by continuation id. One link per thread and file.
/// </summary>
internal sealed class ConversationFileKind : RecordKind<ConversationFileRecord>
{
    private static readonly CopyColumn<ConversationFileRecord>[] Copy =
    [
        Column.Of<ConversationFileRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Text<ConversationFileRecord>("continuation_id", r => r.ContinuationId),
        Column.Of<ConversationFileRecord, Guid>("thread_id", NpgsqlDbType.Uuid, r => r.ThreadId),
        Column.Of<ConversationFileRecord, Guid>("file_id", NpgsqlDbType.Uuid, r => r.FileId),
        Column.Nullable<ConversationFileRecord, Guid>("message_id", NpgsqlDbType.Uuid, r => r.MessageId),
        Column.Of<ConversationFileRecord, DateTimeOffset>("created_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => ConversationFileRecord.Kind;

    public override int Order => 40;

    protected override IReadOnlyList<CopyColumn<ConversationFileRecord>> Columns => Copy;

    protected override string PrepareSql(string staging) => $"""
        UPDATE {staging} s SET thread_id = c.id
        FROM {TableNames.Schema}.{TableNames.Conversations} c
        WHERE c.continuation_id = s.continuation_id AND c.id <> s.thread_id
        """;

    protected override string MissingParentSql(string staging) => $"""
        SELECT s.id FROM {staging} s
        WHERE NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.Files} f WHERE f.id = s.file_id)
           OR NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.Conversations} c WHERE c.id = s.thread_id)
        """;

    protected override string LandingSql(string staging) => $"""
        INSERT INTO {TableNames.Schema}.{TableNames.ConversationFiles} (id, conversation_id, file_id, message_id, created_at)
        SELECT id, thread_id, file_id, message_id, created_at FROM {staging}
        ON CONFLICT DO NOTHING;
        """;
}

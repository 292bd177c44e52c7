using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>Lands sessions: upsert on the session id; a later sighting moves <c>last_seen_at</c> forward.</summary>
internal sealed class SessionKind : RecordKind<SessionRecord>
{
    private static readonly CopyColumn<SessionRecord>[] Copy =
    [
        Column.Of<SessionRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Nullable<SessionRecord, Guid>("user_id", NpgsqlDbType.Uuid, r => r.OwnerUserId ?? r.ScopeUserId),
        Column.Text<SessionRecord>("client_name", r => r.ClientName),
        Column.Text<SessionRecord>("client_fingerprint", r => r.ClientFingerprint),
        Column.Text<SessionRecord>("metadata", r => r.Metadata, NpgsqlDbType.Jsonb),
        Column.Of<SessionRecord, DateTimeOffset>("seen_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => SessionRecord.Kind;

    public override int Order => 10;

    protected override IReadOnlyList<CopyColumn<SessionRecord>> Columns => Copy;

    protected override string LandingSql(string staging) => $"""
        INSERT INTO {TableNames.Schema}.{TableNames.Sessions} AS x (id, user_id, client_name, client_fingerprint, metadata, created_at, last_seen_at)
        SELECT DISTINCT ON (id) id, user_id, client_name, client_fingerprint, metadata, seen_at,
               max(seen_at) OVER (PARTITION BY id)
        FROM {staging}
        ORDER BY id, seen_at
        ON CONFLICT (id) DO UPDATE SET
            user_id = COALESCE(x.user_id, EXCLUDED.user_id),
            client_name = COALESCE(EXCLUDED.client_name, x.client_name),
            client_fingerprint = COALESCE(EXCLUDED.client_fingerprint, x.client_fingerprint),
            metadata = x.metadata || EXCLUDED.metadata,
            last_seen_at = GREATEST(x.last_seen_at, EXCLUDED.last_seen_at);
        """;
}

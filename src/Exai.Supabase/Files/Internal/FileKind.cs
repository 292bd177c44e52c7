using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Lands file registrations: an upsert on the file's id (derived from bucket and path, so instances agree). The
/// newest registration (by recording time) wins, which also clears a deletion mark: a path registered again after
/// its deletion was asked for is live again. A row at the same path made with another id (an adopted legacy row) is
/// updated in place. A registration made in a user scope of a path whose file belongs to someone else is refused
/// (and dead-lettered), whether or not its upsert would have touched the row.
/// </summary>
internal sealed class FileKind : RecordKind<FileRecord>
{
    private static readonly CopyColumn<FileRecord>[] Copy =
    [
        Column.Of<FileRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Of<FileRecord, Guid>("file_id", NpgsqlDbType.Uuid, r => r.FileId),
        Column.Nullable<FileRecord, Guid>("user_id", NpgsqlDbType.Uuid, r => r.OwnerId),
        Column.Nullable<FileRecord, Guid>("scope_user_id", NpgsqlDbType.Uuid, r => r.ScopeUserId),
        Column.Text<FileRecord>("bucket", r => r.Bucket),
        Column.Text<FileRecord>("storage_path", r => r.StoragePath),
        Column.Text<FileRecord>("original_name", r => r.OriginalName),
        Column.Text<FileRecord>("mime_type", r => r.MimeType),
        Column.Nullable<FileRecord, long>("size_bytes", NpgsqlDbType.Bigint, r => r.SizeBytes),
        Column.Text<FileRecord>("sha256", r => r.Sha256),
        Column.Text<FileRecord>("file_type", r => r.FileType),
        Column.Nullable<FileRecord, DateTimeOffset>("expires_at", NpgsqlDbType.TimestampTz, r => r.ExpiresAt),
        Column.Text<FileRecord>("metadata", r => r.Metadata, NpgsqlDbType.Jsonb),
        Column.Of<FileRecord, DateTimeOffset>("recorded_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => FileRecord.Kind;

    public override int Order => 40;

    protected override IReadOnlyList<CopyColumn<FileRecord>> Columns => Copy;

    // As the session's role, so a row row-level security hides is still found (and then refused by its policy).
    protected override string PrepareSql(string staging) => $"""
        UPDATE {staging} s SET file_id = f.id
        FROM {TableNames.Schema}.{TableNames.Files} f
        WHERE f.bucket = s.bucket AND f.storage_path = s.storage_path AND f.id <> s.file_id;
        {ForeignRows.RefuseSql(staging, TableNames.Files, "t.id = s.file_id", "scope_user_id", "the file at this path")}
        """;

    protected override string LandingSql(string staging) => $"""
        INSERT INTO {TableNames.Schema}.{TableNames.Files} AS f
            (id, user_id, bucket, storage_path, original_name, mime_type, size_bytes, sha256, file_type, expires_at,
             metadata, created_at, updated_at)
        SELECT DISTINCT ON (file_id) file_id, user_id, bucket, storage_path, original_name, mime_type, size_bytes,
               sha256, file_type, expires_at, metadata, recorded_at, recorded_at
        FROM {staging}
        ORDER BY file_id, recorded_at DESC, id DESC
        ON CONFLICT (id) DO UPDATE SET
            original_name = EXCLUDED.original_name,
            mime_type = EXCLUDED.mime_type,
            size_bytes = EXCLUDED.size_bytes,
            sha256 = EXCLUDED.sha256,
            file_type = EXCLUDED.file_type,
            expires_at = EXCLUDED.expires_at,
            metadata = f.metadata || EXCLUDED.metadata,
            updated_at = EXCLUDED.updated_at,
            deleted_at = NULL
        WHERE f.updated_at <= EXCLUDED.updated_at;
        """;
}

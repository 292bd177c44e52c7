using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Lands upload records: an upsert on the record's id (derived from file, provider and provider file id, so two
/// instances recording the same upload land one row). The status only moves forward (pending → completed/failed →
/// deleted) and the last use only later, so replays and late arrivals change nothing they should not. A record
/// waits for its file's row; size, hash and name missing from it are taken from that row.
/// </summary>
internal sealed class ProviderUploadKind : RecordKind<ProviderUploadRecord>
{
    private static readonly CopyColumn<ProviderUploadRecord>[] Copy =
    [
        Column.Of<ProviderUploadRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Of<ProviderUploadRecord, Guid>("upload_id", NpgsqlDbType.Uuid, r => r.UploadId),
        Column.Of<ProviderUploadRecord, Guid>("file_id", NpgsqlDbType.Uuid, r => r.FileId),
        Column.Text<ProviderUploadRecord>("bucket", r => r.Bucket),
        Column.Text<ProviderUploadRecord>("storage_path", r => r.StoragePath),
        Column.Text<ProviderUploadRecord>("provider", r => r.Provider),
        Column.Text<ProviderUploadRecord>("provider_file_id", r => r.ProviderFileId),
        Column.Text<ProviderUploadRecord>("status", r => r.Status),
        Column.Text<ProviderUploadRecord>("purpose", r => r.Purpose),
        Column.Text<ProviderUploadRecord>("sha256", r => r.Sha256),
        Column.Nullable<ProviderUploadRecord, long>("size_bytes", NpgsqlDbType.Bigint, r => r.SizeBytes),
        Column.Text<ProviderUploadRecord>("filename", r => r.Filename),
        Column.Text<ProviderUploadRecord>("error_message", r => r.ErrorMessage),
        Column.Nullable<ProviderUploadRecord, DateTimeOffset>("uploaded_at", NpgsqlDbType.TimestampTz, r => r.UploadedAt),
        Column.Nullable<ProviderUploadRecord, DateTimeOffset>("last_used_at", NpgsqlDbType.TimestampTz, r => r.LastUsedAt),
        Column.Of<ProviderUploadRecord, DateTimeOffset>("recorded_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => ProviderUploadRecord.Kind;

    public override int Order => 50;

    protected override IReadOnlyList<CopyColumn<ProviderUploadRecord>> Columns => Copy;

    protected override string PrepareSql(string staging) => $"""
        UPDATE {staging} s SET file_id = f.id
        FROM {TableNames.Schema}.{TableNames.Files} f
        WHERE s.bucket IS NOT NULL AND f.bucket = s.bucket AND f.storage_path = s.storage_path AND f.id <> s.file_id
        """;

    protected override string MissingParentSql(string staging) => $"""
        SELECT s.id FROM {staging} s
        WHERE NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.Files} f WHERE f.id = s.file_id)
          AND NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.ProviderFileUploads} u WHERE u.id = s.upload_id)
        """;

    protected override string LandingSql(string staging) => $"""
        INSERT INTO {TableNames.Schema}.{TableNames.ProviderFileUploads} AS u
            (id, file_id, provider, provider_file_id, status, purpose, sha256, size_bytes, filename, error_message,
             uploaded_at, last_used_at, created_at, updated_at)
        SELECT DISTINCT ON (s.upload_id) s.upload_id, f.id, s.provider, s.provider_file_id, s.status, s.purpose,
               COALESCE(s.sha256, f.sha256), COALESCE(s.size_bytes, f.size_bytes), COALESCE(s.filename, f.original_name),
               s.error_message, s.uploaded_at, max(s.last_used_at) OVER (PARTITION BY s.upload_id), s.recorded_at,
               max(s.recorded_at) OVER (PARTITION BY s.upload_id)
        FROM {staging} s
        LEFT JOIN {TableNames.Schema}.{TableNames.Files} f ON f.id = s.file_id
        ORDER BY s.upload_id, {UploadStatuses.RankSql("s.status")} DESC, s.recorded_at DESC
        ON CONFLICT (id) DO UPDATE SET
            status = CASE WHEN {UploadStatuses.RankSql("EXCLUDED.status")} > {UploadStatuses.RankSql("u.status")} THEN EXCLUDED.status ELSE u.status END,
            error_message = CASE WHEN {UploadStatuses.RankSql("EXCLUDED.status")} > {UploadStatuses.RankSql("u.status")} THEN EXCLUDED.error_message ELSE u.error_message END,
            uploaded_at = COALESCE(u.uploaded_at, EXCLUDED.uploaded_at),
            last_used_at = GREATEST(u.last_used_at, EXCLUDED.last_used_at),
            updated_at = GREATEST(u.updated_at, EXCLUDED.updated_at);
        """;
}

using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Lands deletions: one statement inserts the job (insert-if-absent on its id) with a snapshot of what to delete —
/// the file's bucket and path and every provider file its live upload records name — and marks the file deleted,
/// so the job still knows its targets after the file's rows are gone. A deletion waits for its file's row; a replay
/// of a job already queued changes nothing (the file is not marked again). A deletion made in a user scope of a file
/// that belongs to someone else is refused (and dead-lettered): row-level security would only hide the file.
/// </summary>
internal sealed class FileDeletionKind : RecordKind<FileDeletionRecord>
{
    private static readonly CopyColumn<FileDeletionRecord>[] Copy =
    [
        Column.Of<FileDeletionRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Nullable<FileDeletionRecord, Guid>("file_id", NpgsqlDbType.Uuid, r => r.FileId),
        Column.Nullable<FileDeletionRecord, Guid>("user_id", NpgsqlDbType.Uuid, r => r.ScopeUserId),
        Column.Text<FileDeletionRecord>("bucket", r => r.Bucket),
        Column.Text<FileDeletionRecord>("storage_path", r => r.StoragePath),
        Column.Text<FileDeletionRecord>("reason", r => r.Reason),
        Column.Text<FileDeletionRecord>("targets", r => r.Targets, NpgsqlDbType.Jsonb),
        Column.Of<FileDeletionRecord, DateTimeOffset>("recorded_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => FileDeletionRecord.Kind;

    public override int Order => 60;

    protected override IReadOnlyList<CopyColumn<FileDeletionRecord>> Columns => Copy;

    protected override string PrepareSql(string staging) => $"""
        UPDATE {staging} s SET file_id = f.id
        FROM {TableNames.Schema}.{TableNames.Files} f
        WHERE s.bucket IS NOT NULL AND f.bucket = s.bucket AND f.storage_path = s.storage_path AND f.id <> s.file_id;
        {ForeignRows.RefuseSql(staging, TableNames.Files, "t.id = s.file_id", "user_id", "the file to delete")}
        """;

    protected override string MissingParentSql(string staging) => $"""
        SELECT s.id FROM {staging} s
        WHERE s.file_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.Files} f WHERE f.id = s.file_id)
          AND NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.FileDeletionJobs} j WHERE j.id = s.id)
        """;

    protected override string LandingSql(string staging) => $"""
        WITH queued AS (
            INSERT INTO {TableNames.Schema}.{TableNames.FileDeletionJobs}
                (id, file_id, user_id, status, reason, targets, next_attempt_at, created_at, updated_at)
            SELECT s.id, s.file_id, COALESCE(s.user_id, f.user_id), 'pending', s.reason,
                   COALESCE(s.targets, jsonb_build_object(
                       'bucket', f.bucket,
                       'path', f.storage_path,
                       'providers', COALESCE((
                           SELECT jsonb_agg(DISTINCT jsonb_build_object('provider', u.provider, 'fileId', u.provider_file_id))
                           FROM {TableNames.Schema}.{TableNames.ProviderFileUploads} u
                           WHERE u.file_id = f.id AND u.status <> '{UploadStatuses.Deleted}'), '[]'::jsonb))),
                   s.recorded_at, s.recorded_at, s.recorded_at
            FROM {staging} s
            LEFT JOIN {TableNames.Schema}.{TableNames.Files} f ON f.id = s.file_id
            WHERE s.file_id IS NULL OR f.id IS NOT NULL
            ON CONFLICT (id) DO NOTHING
            RETURNING file_id, created_at)
        UPDATE {TableNames.Schema}.{TableNames.Files} f
        SET deleted_at = q.created_at, updated_at = GREATEST(f.updated_at, q.created_at)
        FROM queued q
        WHERE f.id = q.file_id;
        """;
}

using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// Lands entries made in passing: insert-if-absent on the entry's id. An entry whose issue is not there yet waits for
/// it. A <c>fix_applied</c> entry also sets the issue's <c>fix</c>, unless a later fix entry is already saved, so
/// replays and late batches cannot put an older fix back.
/// </summary>
internal sealed class IssueEntryKind : RecordKind<IssueEntryRecord>
{
    private static readonly CopyColumn<IssueEntryRecord>[] Copy =
    [
        Column.Of<IssueEntryRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Of<IssueEntryRecord, Guid>("issue_id", NpgsqlDbType.Uuid, r => r.IssueId),
        Column.Text<IssueEntryRecord>("kind", r => r.EntryKind),
        Column.Text<IssueEntryRecord>("body", r => r.Body),
        Column.Text<IssueEntryRecord>("continuation_id", r => r.ContinuationId),
        Column.Text<IssueEntryRecord>("author", r => r.Author),
        Column.Text<IssueEntryRecord>("metadata", r => r.Metadata, NpgsqlDbType.Jsonb),
        Column.Of<IssueEntryRecord, DateTimeOffset>("created_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => IssueEntryRecord.Kind;

    public override int Order => NewIssueKind.LandingOrder + 1;

    protected override IReadOnlyList<CopyColumn<IssueEntryRecord>> Columns => Copy;

    protected override string MissingParentSql(string staging) => $"""
        SELECT s.id FROM {staging} s
        WHERE NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.Issues} i WHERE i.id = s.issue_id)
        """;

    protected override string LandingSql(string staging) => $"""
        INSERT INTO {TableNames.Schema}.{TableNames.IssueUpdates} (id, issue_id, kind, body, continuation_id, author, metadata, created_at)
        SELECT id, issue_id, kind, body, continuation_id, author, metadata, created_at FROM {staging}
        ON CONFLICT (id) DO NOTHING;

        UPDATE {TableNames.Schema}.{TableNames.Issues} AS i
        SET fix = f.body, updated_at = GREATEST(i.updated_at, f.created_at)
        FROM (SELECT DISTINCT ON (issue_id) id, issue_id, body, created_at FROM {staging}
              WHERE kind = 'fix_applied'
              ORDER BY issue_id, created_at DESC, id DESC) AS f
        WHERE i.id = f.issue_id
          AND i.fix IS DISTINCT FROM f.body
          AND NOT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.IssueUpdates} u
                          WHERE u.issue_id = f.issue_id AND u.kind = 'fix_applied' AND (u.created_at, u.id) > (f.created_at, f.id));
        """;
}

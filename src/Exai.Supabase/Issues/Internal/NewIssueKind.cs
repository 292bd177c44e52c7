using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// Lands new issues: insert-if-absent on the issue's id; the <c>created</c> entry, the conversation links and the
/// checklist items are inserted only for issue rows this statement made, so a replayed record adds nothing.
/// </summary>
internal sealed class NewIssueKind : RecordKind<NewIssueRecord>
{
    /// <summary>After the conversation kinds; before <see cref="IssueEntryKind"/>, whose rows wait for these.</summary>
    public const int LandingOrder = 60;

    private static readonly CopyColumn<NewIssueRecord>[] Copy =
    [
        Column.Of<NewIssueRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Of<NewIssueRecord, Guid>("created_update_id", NpgsqlDbType.Uuid, r => r.CreatedUpdateId),
        Column.Text<NewIssueRecord>("issue_code", r => r.IssueCode),
        Column.Text<NewIssueRecord>("title", r => r.Title),
        Column.Text<NewIssueRecord>("description", r => r.Description),
        Column.Text<NewIssueRecord>("severity", r => r.Severity),
        Column.Text<NewIssueRecord>("priority", r => r.Priority),
        Column.Text<NewIssueRecord>("category", r => r.Category),
        Column.TextArray<NewIssueRecord>("components", r => r.Components),
        Column.TextArray<NewIssueRecord>("affected_files", r => r.AffectedFiles),
        Column.Text<NewIssueRecord>("root_cause", r => r.RootCause),
        Column.Text<NewIssueRecord>("reported_by", r => r.ReportedBy),
        Column.Text<NewIssueRecord>("assignee", r => r.Assignee),
        Column.Nullable<NewIssueRecord, int>("rank", NpgsqlDbType.Integer, r => r.Rank),
        Column.Text<NewIssueRecord>("metadata", r => r.Metadata, NpgsqlDbType.Jsonb),
        Column.TextArray<NewIssueRecord>("conversations", r => r.Conversations),
        Column.TextArray<NewIssueRecord>("conversation_update_ids", r => Texts(r.ConversationUpdateIds)),
        Column.TextArray<NewIssueRecord>("checklist", r => r.Checklist),
        Column.TextArray<NewIssueRecord>("checklist_ids", r => Texts(r.ChecklistIds)),
        Column.Of<NewIssueRecord, DateTimeOffset>("created_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => NewIssueRecord.Kind;

    public override int Order => LandingOrder;

    protected override IReadOnlyList<CopyColumn<NewIssueRecord>> Columns => Copy;

    // Data-modifying CTEs see one snapshot, so the children join on what the issue insert RETURNED: the rows it
    // made now, never an issue that was already there (a replay).
    protected override string LandingSql(string staging) => $"""
        WITH source AS (
            SELECT DISTINCT ON (id) * FROM {staging} ORDER BY id
        ), landed AS (
            INSERT INTO {TableNames.Schema}.{TableNames.Issues}
                (id, issue_code, title, description, severity, priority, category, components, affected_files,
                 root_cause, reported_by, assignee, rank, metadata, created_at, updated_at)
            SELECT id, issue_code, title, description, severity, priority, category, components, affected_files,
                   root_cause, reported_by, assignee, rank, metadata, created_at, created_at
            FROM source
            ON CONFLICT (id) DO NOTHING
            RETURNING id
        ), created AS (
            INSERT INTO {TableNames.Schema}.{TableNames.IssueUpdates} (id, issue_id, kind, to_status, author, created_at)
            SELECT s.created_update_id, s.id, 'created', 'open', s.reported_by, s.created_at
            FROM source s JOIN landed l ON l.id = s.id
            ON CONFLICT (id) DO NOTHING
        ), links AS (
            INSERT INTO {TableNames.Schema}.{TableNames.IssueUpdates} (id, issue_id, kind, continuation_id, author, created_at)
            SELECT c.update_id::uuid, s.id, 'conversation_link', c.continuation_id, s.reported_by, s.created_at
            FROM source s JOIN landed l ON l.id = s.id
            CROSS JOIN LATERAL unnest(s.conversations, s.conversation_update_ids) AS c (continuation_id, update_id)
            ON CONFLICT (id) DO NOTHING
        )
        INSERT INTO {TableNames.Schema}.{TableNames.IssueChecklistItems} (id, issue_id, position, text, created_at)
        SELECT c.item_id::uuid, s.id, c.position, c.text, s.created_at
        FROM source s JOIN landed l ON l.id = s.id
        CROSS JOIN LATERAL unnest(s.checklist, s.checklist_ids) WITH ORDINALITY AS c (text, item_id, position)
        ON CONFLICT (id) DO NOTHING;
        """;

    private static string[] Texts(Guid[] ids)
    {
        var texts = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            texts[i] = ids[i].ToString();
        }

        return texts;
    }
}

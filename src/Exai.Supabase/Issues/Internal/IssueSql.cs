using System.Text;
using Exai.Supabase.Persistence.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// The tracker's SQL in one place. Every statement takes its values as parameters; table names come from
/// <see cref="TableNames"/>. Each query is shaped for an index of <see cref="IssuesModel"/>: the keyset order
/// (<c>created_at DESC, id DESC</c>), the per-column indexes, the GIN indexes on <c>components</c> and
/// <c>search_vector</c>, and <c>issue_updates(continuation_id)</c> for linked conversations.
/// </summary>
internal static class IssueSql
{
    public const string IssuesTable = $"{TableNames.Schema}.{TableNames.Issues}";
    public const string UpdatesTable = $"{TableNames.Schema}.{TableNames.IssueUpdates}";
    public const string ItemsTable = $"{TableNames.Schema}.{TableNames.IssueChecklistItems}";

    /// <summary>The columns <see cref="IssueRows.Issue"/> reads, in order; the issue's alias is <c>i</c>.</summary>
    public const string IssueColumns = $"""
        i.id, i.issue_code, i.title, i.description, i.severity, i.priority, i.status, i.category, i.components,
        i.affected_files, i.root_cause, i.fix, i.reported_by, i.assignee, i.rank, i.metadata::text, i.created_at,
        i.updated_at, i.resolved_at, i.closed_at, i.source_table, i.source_id,
        ARRAY(SELECT u.continuation_id FROM {UpdatesTable} u
              WHERE u.issue_id = i.id AND u.kind = 'conversation_link' AND u.continuation_id IS NOT NULL
              GROUP BY u.continuation_id ORDER BY min(u.created_at), u.continuation_id) AS linked_conversations
        """;

    /// <summary>The columns <see cref="IssueRows.Update"/> reads, in order.</summary>
    public const string UpdateColumns =
        "id, issue_id, kind, body, from_status, to_status, continuation_id, author, metadata::text, created_at";

    /// <summary>The columns <see cref="IssueRows.Item"/> reads, in order.</summary>
    public const string ItemColumns = "id, issue_id, position, text, state, state_changed_at, changed_by, created_at";

    public const string SelectIssue = $"SELECT {IssueColumns} FROM {IssuesTable} i WHERE i.id = @id";

    public const string IssueExists = $"SELECT EXISTS (SELECT 1 FROM {IssuesTable} WHERE id = @id)";

    /// <summary>
    /// Locks the issue's row for the rest of the transaction. <c>FOR NO KEY UPDATE</c> serialises the tracker's own
    /// changes of one issue without blocking the outbox inserting entries that refer to it (they take a key-share lock).
    /// </summary>
    public const string LockIssue = $"SELECT status, resolved_at, closed_at FROM {IssuesTable} WHERE id = @id FOR NO KEY UPDATE";

    public const string SelectIssueLocked = $"SELECT {IssueColumns} FROM {IssuesTable} i WHERE i.id = @id FOR NO KEY UPDATE OF i";

    public const string MoveStatus = $"""
        UPDATE {IssuesTable}
        SET status = @to, updated_at = GREATEST(updated_at, @now), resolved_at = @resolved_at, closed_at = @closed_at
        WHERE id = @id AND status = @from
        """;

    public const string InsertUpdate = $"""
        INSERT INTO {UpdatesTable} (id, issue_id, kind, body, from_status, to_status, author, metadata, created_at)
        VALUES (@update_id, @issue_id, @kind, @body, @from_status, @to_status, @author, @metadata, @created_at)
        """;

    public const string SelectUpdates = $"SELECT {UpdateColumns} FROM {UpdatesTable} WHERE issue_id = @id ORDER BY created_at, id";

    public const string SelectItems = $"SELECT {ItemColumns} FROM {ItemsTable} WHERE issue_id = @id ORDER BY position";

    public const string SelectItem = $"SELECT {ItemColumns} FROM {ItemsTable} WHERE id = @id";

    public const string SelectItemIssue = $"SELECT issue_id FROM {ItemsTable} WHERE id = @id";

    public const string NextPosition = $"SELECT coalesce(max(position), 0) + 1 FROM {ItemsTable} WHERE issue_id = @id";

    public const string InsertItem = $"""
        INSERT INTO {ItemsTable} (id, issue_id, position, text, created_at)
        VALUES (@item_id, @id, @position, @text, @now)
        RETURNING {ItemColumns}
        """;

    public const string SetItemState = $"""
        UPDATE {ItemsTable} SET state = @state, state_changed_at = @now, changed_by = @author
        WHERE id = @item_id
        RETURNING {ItemColumns}
        """;

    // The unique (issue_id, position) constraint is checked at commit, so positions may collide mid-statement.
    public const string Reorder = $"""
        UPDATE {ItemsTable} AS c SET position = o.position
        FROM unnest(@ids) WITH ORDINALITY AS o (id, position)
        WHERE c.id = o.id AND c.issue_id = @id AND c.position <> o.position
        """;

    public const string DeleteItem = $"DELETE FROM {ItemsTable} WHERE id = @item_id RETURNING position, text";

    public const string CloseGap = $"UPDATE {ItemsTable} SET position = position - 1 WHERE issue_id = @id AND position > @position";

    /// <summary>The statuses in the order counts are read.</summary>
    public static readonly string[] Statuses = [.. Enum.GetValues<IssueStatus>().Select(IssueVocabulary.ToText)];

    /// <summary>A page of issues: newest first, after the cursor, <paramref name="limit"/> rows.</summary>
    public static void List(NpgsqlCommand command, in IssueConditions conditions, (DateTimeOffset CreatedAt, Guid Id)? after, int limit)
    {
        var sql = new StringBuilder($"SELECT {IssueColumns} FROM {IssuesTable} i WHERE ");
        Where(sql, command, conditions);
        if (after is { } cursor)
        {
            // A row comparison the (created_at DESC, id DESC) indexes take as one range condition.
            sql.Append(" AND (i.created_at, i.id) < (@after_created_at, @after_id)");
            command.Parameters.Add(new NpgsqlParameter("after_created_at", NpgsqlDbType.TimestampTz) { Value = cursor.CreatedAt });
            command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = cursor.Id });
        }

        sql.Append(" ORDER BY i.created_at DESC, i.id DESC LIMIT @limit");
        command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
        command.CommandText = sql.ToString();
    }

    /// <summary>
    /// Counts per status: one correlated count per status rather than one <c>GROUP BY</c> over the table, so each
    /// count is a range of the status index (or of whichever index the other conditions prefer).
    /// </summary>
    public static void Counts(NpgsqlCommand command, in IssueConditions conditions)
    {
        var sql = new StringBuilder($"SELECT s.status, (SELECT count(*) FROM {IssuesTable} i WHERE i.status = s.status AND ");
        Where(sql, command, conditions);
        sql.Append(") FROM unnest(@statuses) AS s (status)");
        command.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = Statuses });
        command.CommandText = sql.ToString();
    }

    private static void Where(StringBuilder sql, NpgsqlCommand command, in IssueConditions c)
    {
        var any = false;
        void And(string condition, string name, object value, NpgsqlDbType type)
        {
            sql.Append(any ? " AND " : string.Empty).Append(condition);
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
            any = true;
        }

        if (c.Status is { } status)
        {
            And("i.status = @f_status", "f_status", status, NpgsqlDbType.Text);
        }

        if (c.Severity is { } severity)
        {
            And("i.severity = @f_severity", "f_severity", severity, NpgsqlDbType.Text);
        }

        if (c.Priority is { } priority)
        {
            And("i.priority = @f_priority", "f_priority", priority, NpgsqlDbType.Text);
        }

        if (c.Category is { } category)
        {
            And("i.category = @f_category", "f_category", category, NpgsqlDbType.Text);
        }

        if (c.Component is { } component)
        {
            // @> (not = ANY) so the GIN index on components serves it.
            And("i.components @> ARRAY[@f_component]::text[]", "f_component", component, NpgsqlDbType.Text);
        }

        if (c.Text is { } text)
        {
            And("i.search_vector @@ websearch_to_tsquery('simple', @f_text)", "f_text", text, NpgsqlDbType.Text);
        }

        if (c.ContinuationId is { } continuationId)
        {
            And(
                $"i.id IN (SELECT u.issue_id FROM {UpdatesTable} u WHERE u.continuation_id = @f_continuation_id AND u.kind = 'conversation_link')",
                "f_continuation_id",
                continuationId,
                NpgsqlDbType.Text);
        }

        if (!any)
        {
            sql.Append("true");
        }
    }
}

namespace Exai.Supabase.Issues.Internal;

/// <summary>A row of <c>issue_checklist_items</c>: one ordered step of an issue's checklist.</summary>
internal sealed class IssueChecklistItemRow
{
    public Guid Id { get; set; }

    public Guid IssueId { get; set; }

    public int Position { get; set; }

    public string Text { get; set; } = string.Empty;

    public string State { get; set; } = "pending";

    public DateTimeOffset? StateChangedAt { get; set; }

    public string? ChangedBy { get; set; }

    public string Metadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }

    public IssueRow? Issue { get; set; }
}

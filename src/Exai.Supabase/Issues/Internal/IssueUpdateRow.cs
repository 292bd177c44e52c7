namespace Exai.Supabase.Issues.Internal;

/// <summary>A row of <c>issue_updates</c>: one entry of an issue's history.</summary>
internal sealed class IssueUpdateRow
{
    public Guid Id { get; set; }

    public Guid IssueId { get; set; }

    public string Kind { get; set; } = "comment";

    public string? Body { get; set; }

    public string? FromStatus { get; set; }

    public string? ToStatus { get; set; }

    public string? ContinuationId { get; set; }

    public string? Author { get; set; }

    public string Metadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }

    public IssueRow? Issue { get; set; }
}

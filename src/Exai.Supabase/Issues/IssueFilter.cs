namespace Exai.Supabase.Issues;

/// <summary>
/// Which issues <see cref="IIssueTracker.ListAsync"/> and <see cref="IIssueTracker.CountByStatusAsync"/> consider. Every
/// condition set must hold; each is served by an index.
/// </summary>
public sealed record IssueFilter
{
    /// <summary>Only issues in this status.</summary>
    public IssueStatus? Status { get; init; }

    /// <summary>Only issues of this severity.</summary>
    public IssueSeverity? Severity { get; init; }

    /// <summary>Only issues of this priority.</summary>
    public IssuePriority? Priority { get; init; }

    /// <summary>Only issues of this category (exact match).</summary>
    public string? Category { get; init; }

    /// <summary>Only issues whose components include this one (exact match).</summary>
    public string? Component { get; init; }

    /// <summary>
    /// Only issues whose title, description, root cause, fix or code match this search, in web-search syntax
    /// (<c>timeout -kimi "rate limit"</c>), word by word without stemming (PostgreSQL's <c>simple</c> configuration).
    /// </summary>
    public string? Text { get; init; }

    /// <summary>Only issues linked to the conversation with this continuation id.</summary>
    public string? ContinuationId { get; init; }
}

using System.Text.Json.Nodes;

namespace Exai.Supabase.Issues;

/// <summary>One issue as the tracker reads it.</summary>
public sealed record Issue
{
    /// <summary>The issue's id (a UUIDv7 made by the client that created it, or an adopted legacy id).</summary>
    public required Guid Id { get; init; }

    /// <summary>A human code such as <c>P0-8</c> or <c>EXAI-001</c>; searchable as text.</summary>
    public string? IssueCode { get; init; }

    /// <summary>The title (never empty).</summary>
    public required string Title { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>How much harm it does.</summary>
    public required IssueSeverity Severity { get; init; }

    /// <summary>How soon to work on it.</summary>
    public required IssuePriority Priority { get; init; }

    /// <summary>Where it is in its flow (<see cref="IssueStatusFlow"/>).</summary>
    public required IssueStatus Status { get; init; }

    /// <summary>A free category (<c>timeout</c>, <c>security</c>, …); filters match it exactly.</summary>
    public string? Category { get; init; }

    /// <summary>The components affected (<c>providers</c>, <c>redis</c>, …).</summary>
    public IReadOnlyList<string> Components { get; init; } = [];

    /// <summary>The files affected (paths as the reporter gave them).</summary>
    public IReadOnlyList<string> AffectedFiles { get; init; } = [];

    /// <summary>
    /// The continuation ids of the conversations linked to the issue, first linked first. They are text and need not
    /// name a thread in <c>conversations</c> (a thread may have expired or live elsewhere).
    /// </summary>
    public IReadOnlyList<string> LinkedConversations { get; init; } = [];

    /// <summary>The root cause, once known.</summary>
    public string? RootCause { get; init; }

    /// <summary>The latest fix applied (<see cref="IIssueTracker.RecordFix"/>).</summary>
    public string? Fix { get; init; }

    /// <summary>Who reported it.</summary>
    public string? ReportedBy { get; init; }

    /// <summary>Who works on it.</summary>
    public string? Assignee { get; init; }

    /// <summary>An optional rank for manual ordering (legacy <c>phase1_issues</c> had one).</summary>
    public int? Rank { get; init; }

    /// <summary>Everything else, as a JSON object (adopted rows keep their unmapped legacy values here).</summary>
    public JsonObject Metadata { get; init; } = [];

    /// <summary>When it was reported.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its fields or status last changed (comments and links do not count; see its updates).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When it last entered <c>fixed</c> or <c>wont_fix</c>; cleared when it goes back to <c>open</c> or <c>in_progress</c>.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>When it last entered <c>closed</c> or <c>wont_fix</c>; cleared when it is reopened or work resumes.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>For an adopted row: the legacy table it came from (<c>exai_issues</c>, <c>phase1_issues</c>, …).</summary>
    public string? SourceTable { get; init; }

    /// <summary>For an adopted row: its id in <see cref="SourceTable"/>.</summary>
    public string? SourceId { get; init; }

    /// <summary>
    /// Whether this is this process's own view of an issue created here whose write is still in the outbox (not yet
    /// in the database).
    /// </summary>
    public bool IsPending { get; init; }
}

using System.Text.Json.Nodes;

namespace Exai.Supabase.Issues;

/// <summary>A new issue, for <see cref="IIssueTracker.CreateIssue"/>. It starts <see cref="IssueStatus.Open"/>.</summary>
public sealed record IssueDraft
{
    /// <summary>The title: required, not empty or white space, at most 1,024 characters.</summary>
    public required string Title { get; init; }

    /// <summary>The description (at most one million characters).</summary>
    public string? Description { get; init; }

    /// <summary>How much harm it does.</summary>
    /// <value>The default value is <see cref="IssueSeverity.Medium"/>.</value>
    public IssueSeverity Severity { get; init; } = IssueSeverity.Medium;

    /// <summary>How soon to work on it; when <see langword="null"/>, the one the severity implies (<see cref="IssueVocabulary.PriorityFor"/>).</summary>
    /// <value>The default value is <see langword="null"/> (implied by <see cref="Severity"/>).</value>
    public IssuePriority? Priority { get; init; }

    /// <summary>A free category (at most 256 characters).</summary>
    public string? Category { get; init; }

    /// <summary>The components affected (each at most 256 characters).</summary>
    public IReadOnlyList<string> Components { get; init; } = [];

    /// <summary>The files affected (each at most 1,024 characters).</summary>
    public IReadOnlyList<string> AffectedFiles { get; init; } = [];

    /// <summary>Continuation ids of conversations to link at once (each at most 256 characters).</summary>
    public IReadOnlyList<string> Conversations { get; init; } = [];

    /// <summary>The root cause, if already known.</summary>
    public string? RootCause { get; init; }

    /// <summary>A human code such as <c>P0-8</c> (at most 256 characters).</summary>
    public string? IssueCode { get; init; }

    /// <summary>Who reports it; when <see langword="null"/> in a user scope, the user's id.</summary>
    public string? ReportedBy { get; init; }

    /// <summary>Who works on it.</summary>
    public string? Assignee { get; init; }

    /// <summary>An optional rank for manual ordering.</summary>
    public int? Rank { get; init; }

    /// <summary>The checklist, in order (each item at most 1,024 characters).</summary>
    public IReadOnlyList<string> Checklist { get; init; } = [];

    /// <summary>Anything else, as a JSON object (at most 256 KiB serialised).</summary>
    public JsonObject? Metadata { get; init; }
}

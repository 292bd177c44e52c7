using System.Text.Json.Nodes;

namespace Exai.Supabase.Issues;

/// <summary>
/// Field changes for <see cref="IIssueTracker.UpdateAsync"/>. A property left <see langword="null"/> is unchanged; an
/// empty text clears an optional field; an empty list clears a list. The status changes only through
/// <see cref="IIssueTracker.TransitionAsync"/>, the fix through <see cref="IIssueTracker.RecordFix"/>.
/// </summary>
public sealed record IssueChanges
{
    /// <summary>A new title (not empty or white space).</summary>
    public string? Title { get; init; }

    /// <summary>A new description; empty clears it.</summary>
    public string? Description { get; init; }

    /// <summary>A new severity.</summary>
    public IssueSeverity? Severity { get; init; }

    /// <summary>A new priority.</summary>
    public IssuePriority? Priority { get; init; }

    /// <summary>A new category; empty clears it.</summary>
    public string? Category { get; init; }

    /// <summary>The new list of components; empty clears it.</summary>
    public IReadOnlyList<string>? Components { get; init; }

    /// <summary>The new list of affected files; empty clears it.</summary>
    public IReadOnlyList<string>? AffectedFiles { get; init; }

    /// <summary>The root cause; empty clears it.</summary>
    public string? RootCause { get; init; }

    /// <summary>A new assignee; empty clears it.</summary>
    public string? Assignee { get; init; }

    /// <summary>A new human code; empty clears it.</summary>
    public string? IssueCode { get; init; }

    /// <summary>A new rank.</summary>
    public int? Rank { get; init; }

    /// <summary>Keys to merge into the issue's metadata (a key given replaces the stored one).</summary>
    public JsonObject? Metadata { get; init; }
}

using System.Text.Json.Nodes;

namespace Exai.Supabase.Issues;

/// <summary>One entry of an issue's history.</summary>
public sealed record IssueUpdate
{
    /// <summary>The entry's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The issue.</summary>
    public required Guid IssueId { get; init; }

    /// <summary>What the entry records.</summary>
    public required IssueUpdateKind Kind { get; init; }

    /// <summary>The text: the comment, the fix, the verification result, the note of a status change, a summary of a field or checklist change.</summary>
    public string? Body { get; init; }

    /// <summary>For a status change: the status before. (Adopted legacy entries may carry a status the vocabulary does not know; then <see langword="null"/>.)</summary>
    public IssueStatus? FromStatus { get; init; }

    /// <summary>For a status change (and the creation): the status after.</summary>
    public IssueStatus? ToStatus { get; init; }

    /// <summary>For a conversation link: the continuation id.</summary>
    public string? ContinuationId { get; init; }

    /// <summary>Who made the change.</summary>
    public string? Author { get; init; }

    /// <summary>Details: the fields changed with their values before and after, the checklist item and action, ….</summary>
    public JsonObject Metadata { get; init; } = [];

    /// <summary>When the change was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

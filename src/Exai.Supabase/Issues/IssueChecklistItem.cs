namespace Exai.Supabase.Issues;

/// <summary>One item of an issue's checklist.</summary>
public sealed record IssueChecklistItem
{
    /// <summary>The item's id.</summary>
    public required Guid Id { get; init; }

    /// <summary>The issue.</summary>
    public required Guid IssueId { get; init; }

    /// <summary>Its place in the list: 1 … n, without gaps.</summary>
    public required int Position { get; init; }

    /// <summary>What to do.</summary>
    public required string Text { get; init; }

    /// <summary>Pending, completed or skipped.</summary>
    public required ChecklistItemState State { get; init; }

    /// <summary>When it was last completed, skipped or set back to pending; <see langword="null"/> while never changed.</summary>
    public DateTimeOffset? StateChangedAt { get; init; }

    /// <summary>Who last changed its state.</summary>
    public string? ChangedBy { get; init; }

    /// <summary>When it was added.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}

using System.Text.Json.Serialization;
using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// A new issue on its way to <c>issues</c>, with its <c>created</c> entry, its conversation links and its checklist:
/// all land in one statement, and only when the issue row itself is new, so a replay changes nothing. Every child
/// row's id is made here, so the history keeps its order.
/// </summary>
internal sealed class NewIssueRecord : OutboxRecord
{
    public const string Kind = "issue";

    public required Guid CreatedUpdateId { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    public required string Severity { get; init; }

    public required string Priority { get; init; }

    public string? Category { get; init; }

    public string[] Components { get; init; } = [];

    public string[] AffectedFiles { get; init; } = [];

    public string? RootCause { get; init; }

    public string? IssueCode { get; init; }

    public string? ReportedBy { get; init; }

    public string? Assignee { get; init; }

    public int? Rank { get; init; }

    public string Metadata { get; init; } = "{}";

    public string[] Conversations { get; init; } = [];

    public Guid[] ConversationUpdateIds { get; init; } = [];

    public string[] Checklist { get; init; } = [];

    public Guid[] ChecklistIds { get; init; } = [];

    /// <summary>This process's view of pending issues, told when the row is saved.</summary>
    [JsonIgnore]
    internal PendingIssues? View { get; init; }

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        240 + Size(Title) + Size(Description) + Size(Category) + Size(RootCause) + Size(IssueCode) + Size(ReportedBy)
        + Size(Assignee) + Size(Metadata) + Sizes(Components) + Sizes(AffectedFiles) + Sizes(Conversations) + Sizes(Checklist)
        + (16 * (ConversationUpdateIds.Length + ChecklistIds.Length));

    internal override void OnLanded() => View?.Landed(Id);

    // A refused or dropped issue is no longer pending either.
    internal override void OnAbandoned() => View?.Landed(Id);

    private static int Size(string? text) => text is null ? 0 : 24 + (text.Length * 2);

    private static int Sizes(string[] texts)
    {
        var total = 24;
        foreach (var text in texts)
        {
            total += Size(text);
        }

        return total;
    }
}

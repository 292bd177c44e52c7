using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// An entry a tool makes in passing — a comment, a conversation link, a fix applied, a verification — on its way to
/// <c>issue_updates</c>: insert-if-absent on its id; it waits for its issue when that is still on its way.
/// </summary>
internal sealed class IssueEntryRecord : OutboxRecord
{
    public const string Kind = "issue_entry";

    public required Guid IssueId { get; init; }

    /// <summary>The stored kind: <c>comment</c>, <c>conversation_link</c>, <c>fix_applied</c> or <c>verification</c>.</summary>
    public required string EntryKind { get; init; }

    public string? Body { get; init; }

    public string? ContinuationId { get; init; }

    public string? Author { get; init; }

    public string Metadata { get; init; } = "{}";

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        160 + ((EntryKind.Length + (Body?.Length ?? 0) + (ContinuationId?.Length ?? 0) + (Author?.Length ?? 0) + Metadata.Length) * 2);
}

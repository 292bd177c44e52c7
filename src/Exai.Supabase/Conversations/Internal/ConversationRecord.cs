using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// A thread's get-or-create on its way to <c>conversations</c>: upserts on <c>continuation_id</c>; the first
/// writer's values stay, later ones only fill what is empty and move the last activity forward.
/// </summary>
internal sealed class ConversationRecord : OutboxRecord
{
    public const string Kind = "conversation";

    public required string ContinuationId { get; init; }

    /// <summary>The thread's id if this record creates it (<see cref="ThreadIds.For"/>).</summary>
    public required Guid ThreadId { get; init; }

    public Guid? SessionId { get; init; }

    public string? ParentContinuationId { get; init; }

    public string? Title { get; init; }

    public string? ToolName { get; init; }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public string Metadata { get; init; } = "{}";

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        160 + ((ContinuationId.Length + (ParentContinuationId?.Length ?? 0) + (Title?.Length ?? 0) + (ToolName?.Length ?? 0)
                + (Provider?.Length ?? 0) + (Model?.Length ?? 0) + Metadata.Length) * 2);
}

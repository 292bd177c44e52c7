using System.Text.Json.Serialization;
using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// A thread's get-or-create on its way to <c>conversations</c>: upserts on <c>continuation_id</c>; the first
/// writer's values stay, later ones only fill what is empty and move the last activity forward.
/// </summary>
internal sealed class ConversationRecord : OutboxRecord
{
    public const string Kind = "conversation";

    private Guid _threadId;

    public required string ContinuationId { get; init; }

    /// <summary>The thread's id if this record creates it (<see cref="ThreadIds.For"/>); computed on first use.</summary>
    public Guid ThreadId
    {
        get => _threadId == Guid.Empty ? _threadId = ThreadIds.For(ContinuationId) : _threadId;
        init => _threadId = value;
    }

    public Guid? SessionId { get; init; }

    /// <summary>The owner set explicitly (service scope); otherwise the scope's user owns the thread.</summary>
    public Guid? OwnerUserId { get; init; }

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

    /// <summary>Told when the row is committed or abandoned (the read-your-writes view drops its copy).</summary>
    [JsonIgnore]
    internal Action<ConversationRecord>? Settled { get; set; }

    internal override void OnLanded() => Settled?.Invoke(this);

    internal override void OnAbandoned() => Settled?.Invoke(this);
}

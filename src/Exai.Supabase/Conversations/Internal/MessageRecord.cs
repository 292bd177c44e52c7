using System.Text.Json.Serialization;
using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>A turn appended to a thread, on its way to <c>messages</c>. Lands insert-if-absent on its id.</summary>
internal sealed class MessageRecord : OutboxRecord
{
    public const string Kind = "message";

    public required string ContinuationId { get; init; }

    public required Guid ThreadId { get; init; }

    public required string Role { get; init; }

    public required string Content { get; init; }

    public string? Contents { get; init; }

    public string? ToolName { get; init; }

    public string? Provider { get; init; }

    public string? Model { get; init; }

    public int? InputTokens { get; init; }

    public int? OutputTokens { get; init; }

    public int? TokenCount { get; init; }

    public string? ToolCallId { get; init; }

    public string Metadata { get; init; } = "{}";

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        160 + (ContinuationId.Length * 2) + (Content.Length * 2) + ((Contents?.Length ?? 0) * 2) + (Metadata.Length * 2)
        + ((ToolName?.Length ?? 0) + (Provider?.Length ?? 0) + (Model?.Length ?? 0) + (ToolCallId?.Length ?? 0)) * 2;

    /// <summary>Told when the row is committed (the read-your-writes view drops its copy).</summary>
    [JsonIgnore]
    internal Action<MessageRecord>? Landed { get; set; }

    internal override void OnSettled() => Landed?.Invoke(this);
}

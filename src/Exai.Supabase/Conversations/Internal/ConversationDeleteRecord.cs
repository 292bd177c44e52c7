using System.Text.Json.Serialization;
using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// A thread deleted on demand, on its way to the database. It removes what was recorded up to
/// <see cref="OutboxRecord.RecordedAt"/>: the thread with everything in it (cascading), or — when turns were appended
/// after the delete — only the turns and links made before it.
/// </summary>
internal sealed class ConversationDeleteRecord : OutboxRecord
{
    public const string Kind = "conversation_delete";

    public required string ContinuationId { get; init; }

    public override string KindName => Kind;

    public override int EstimatedBytes => 100 + (ContinuationId.Length * 2);

    /// <summary>Told when the delete is committed or abandoned (the view drops its tombstone).</summary>
    [JsonIgnore]
    internal Action<ConversationDeleteRecord>? Settled { get; set; }

    internal override void OnLanded() => Settled?.Invoke(this);

    internal override void OnAbandoned() => Settled?.Invoke(this);
}

using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// A link from a thread to a file, on its way to <c>conversation_files</c>: waits for the file's row (recorded by the
/// files feature, possibly later), then lands insert-if-absent (one link per thread and file).
/// </summary>
internal sealed class ConversationFileRecord : OutboxRecord
{
    public const string Kind = "conversation_file";

    private Guid _threadId;

    public required string ContinuationId { get; init; }

    /// <summary>The thread's id if it was made by this library; resolved by continuation id in the drain otherwise.</summary>
    public Guid ThreadId
    {
        get => _threadId == Guid.Empty ? _threadId = ThreadIds.For(ContinuationId) : _threadId;
        init => _threadId = value;
    }

    public required Guid FileId { get; init; }

    public Guid? MessageId { get; init; }

    public override string KindName => Kind;

    public override int EstimatedBytes => 120 + (ContinuationId.Length * 2);
}

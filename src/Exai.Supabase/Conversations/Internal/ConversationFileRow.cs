using Exai.Supabase.Files.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>A row of <c>conversation_files</c>: a file referenced by a thread.</summary>
internal sealed class ConversationFileRow
{
    public Guid Id { get; set; }

    public Guid ConversationId { get; set; }

    public Guid FileId { get; set; }

    public Guid? MessageId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string Metadata { get; set; } = "{}";

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }

    public ConversationRow? Conversation { get; set; }

    public FileRow? File { get; set; }
}

namespace Exai.Supabase.Conversations.Internal;

/// <summary>A row of <c>conversations</c>: one thread, keyed by its <c>continuation_id</c>.</summary>
internal sealed class ConversationRow
{
    public Guid Id { get; set; }

    public string ContinuationId { get; set; } = string.Empty;

    public Guid? SessionId { get; set; }

    public Guid? UserId { get; set; }

    public string? ParentContinuationId { get; set; }

    public string? Title { get; set; }

    public string? ToolName { get; set; }

    public string? Provider { get; set; }

    public string? Model { get; set; }

    public string Metadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastActivityAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }

    public SessionRow? Session { get; set; }
}

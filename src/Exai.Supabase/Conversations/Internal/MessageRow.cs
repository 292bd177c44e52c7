namespace Exai.Supabase.Conversations.Internal;

/// <summary>A row of <c>messages</c>: one turn of a thread.</summary>
internal sealed class MessageRow
{
    public Guid Id { get; set; }

    public Guid ConversationId { get; set; }

    public Guid? UserId { get; set; }

    public string Role { get; set; } = string.Empty;

    public string Content { get; set; } = string.Empty;

    /// <summary>Structured content (tool calls, tool results, …) as a JSON array; <see langword="null"/> for plain text.</summary>
    public string? Contents { get; set; }

    public string? ToolName { get; set; }

    public string? Provider { get; set; }

    public string? Model { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public int? TokenCount { get; set; }

    public string? ToolCallId { get; set; }

    public string Metadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }

    public ConversationRow? Conversation { get; set; }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Exai.Supabase.Conversations;

/// <summary>A turn to append to a thread.</summary>
/// <remarks>
/// Plain text goes in <see cref="Content"/>. Structured content — tool calls (<see cref="FunctionCallContent"/> with
/// their call ids), tool results (<see cref="FunctionResultContent"/>), images and so on — goes in
/// <see cref="Contents"/> and is stored as JSON in <c>messages.contents</c>; <see cref="Content"/> then holds its text
/// for readers that want only text (filled from the text parts when left empty).
/// </remarks>
public sealed record ConversationTurn
{
    /// <summary>The role: one of <see cref="ConversationRoles"/> (<c>system</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>).</summary>
    public required string Role { get; init; }

    /// <summary>The text of the turn; may be empty (a turn of tool calls only).</summary>
    public string Content { get; init; } = string.Empty;

    /// <summary>Structured content (tool calls and results, data, …); <see langword="null"/> for a plain text turn.</summary>
    public IReadOnlyList<AIContent>? Contents { get; init; }

    /// <summary>The tool (an MCP tool, say) the turn belongs to.</summary>
    public string? ToolName { get; init; }

    /// <summary>The model provider that produced the turn.</summary>
    public string? Provider { get; init; }

    /// <summary>The model that produced the turn.</summary>
    public string? Model { get; init; }

    /// <summary>Input (prompt) tokens the model call consumed.</summary>
    public int? InputTokens { get; init; }

    /// <summary>Output (completion) tokens the model call produced.</summary>
    public int? OutputTokens { get; init; }

    /// <summary>The size of this turn in tokens, used by token-budget reads; estimated from its length when absent.</summary>
    public int? TokenCount { get; init; }

    /// <summary>For a tool result: the id of the tool call it answers (taken from <see cref="Contents"/> when absent).</summary>
    public string? ToolCallId { get; init; }

    /// <summary>Files (rows of <c>files</c>) the turn refers to; linked through <c>conversation_files</c> once each file's row exists.</summary>
    public IReadOnlyList<Guid>? FileIds { get; init; }

    /// <summary>Free-form metadata kept with the turn.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>A user turn.</summary>
    /// <param name="content">The text.</param>
    /// <returns>The turn.</returns>
    public static ConversationTurn User(string content) => new() { Role = ConversationRoles.User, Content = content };

    /// <summary>An assistant turn.</summary>
    /// <param name="content">The text.</param>
    /// <returns>The turn.</returns>
    public static ConversationTurn Assistant(string content) => new() { Role = ConversationRoles.Assistant, Content = content };

    /// <summary>A system turn.</summary>
    /// <param name="content">The text.</param>
    /// <returns>The turn.</returns>
    public static ConversationTurn System(string content) => new() { Role = ConversationRoles.System, Content = content };

    /// <summary>A tool result answering the call <paramref name="toolCallId"/>.</summary>
    /// <param name="toolCallId">The id of the call answered.</param>
    /// <param name="result">The result as text.</param>
    /// <returns>The turn.</returns>
    public static ConversationTurn Tool(string toolCallId, string result) =>
        new() { Role = ConversationRoles.Tool, Content = result, ToolCallId = toolCallId };
}

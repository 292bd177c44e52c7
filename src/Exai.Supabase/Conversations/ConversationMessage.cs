using System.Text.Json;
using System.Text.Json.Nodes;
using Exai.Supabase.Conversations.Internal;
using Microsoft.Extensions.AI;

namespace Exai.Supabase.Conversations;

/// <summary>A turn of a thread as read back: from the database, or from this process's own not-yet-landed writes.</summary>
public sealed record ConversationMessage
{
    /// <summary>The turn's id (a UUIDv7 made when it was appended).</summary>
    public required Guid Id { get; init; }

    /// <summary>The thread's continuation id.</summary>
    public required string ContinuationId { get; init; }

    /// <summary>The role: one of <see cref="ConversationRoles"/>.</summary>
    public required string Role { get; init; }

    /// <summary>The text of the turn (may be empty).</summary>
    public string Content { get; init; } = string.Empty;

    /// <summary>Structured content as stored (a JSON array of <see cref="AIContent"/>), or <see langword="null"/> for plain text.</summary>
    public string? ContentsJson { get; init; }

    /// <summary>The tool the turn belongs to.</summary>
    public string? ToolName { get; init; }

    /// <summary>The model provider that produced it.</summary>
    public string? Provider { get; init; }

    /// <summary>The model that produced it.</summary>
    public string? Model { get; init; }

    /// <summary>Input tokens of the model call.</summary>
    public int? InputTokens { get; init; }

    /// <summary>Output tokens of the model call.</summary>
    public int? OutputTokens { get; init; }

    /// <summary>The turn's size in tokens as recorded.</summary>
    public int? TokenCount { get; init; }

    /// <summary>For a tool result: the id of the call it answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>Metadata as stored (a JSON object), or <see langword="null"/> when there is none.</summary>
    public string? MetadataJson { get; init; }

    /// <summary>When the turn was appended (microsecond precision, as stored).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Whether this process appended the turn and it has not reached the database yet (read-your-writes); other
    /// instances see it once it has.
    /// </summary>
    public bool IsPending { get; init; }

    /// <summary>The tokens token-budget reads count for the turn: <see cref="TokenCount"/>, else its length in characters divided by four (at least 1).</summary>
    public int EffectiveTokens => TokenCount ?? Math.Max(1, (Math.Max(Content.Length, ContentsJson?.Length ?? 0) + 3) / 4);

    /// <summary>The structured content: parsed from <see cref="ContentsJson"/>, or one <see cref="TextContent"/> of <see cref="Content"/>.</summary>
    /// <returns>A new list on each call.</returns>
    /// <exception cref="JsonException">The stored JSON is not a list of <see cref="AIContent"/>.</exception>
    public IList<AIContent> GetContents()
    {
        if (ContentsJson is null)
        {
            return Content.Length == 0 ? [] : [new TextContent(Content)];
        }

        return JsonSerializer.Deserialize<List<AIContent>>(ContentsJson, ContentJson.Options) ?? [];
    }

    /// <summary>The metadata as a new <see cref="JsonObject"/>, or <see langword="null"/> when there is none.</summary>
    /// <returns>A new object on each call.</returns>
    public JsonObject? GetMetadata() => MetadataJson is null ? null : JsonNode.Parse(MetadataJson) as JsonObject;
}

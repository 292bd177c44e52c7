using System.Text.Json.Nodes;

namespace Exai.Supabase.Conversations;

/// <summary>A thread, keyed by its continuation id.</summary>
public sealed record ConversationThread
{
    /// <summary>The thread's id (a name-based UUID of its continuation id for threads made by this library).</summary>
    public required Guid Id { get; init; }

    /// <summary>The continuation id.</summary>
    public required string ContinuationId { get; init; }

    /// <summary>The client session it belongs to.</summary>
    public Guid? SessionId { get; init; }

    /// <summary>The owning user.</summary>
    public Guid? UserId { get; init; }

    /// <summary>The continuation id of the thread it branched from.</summary>
    public string? ParentContinuationId { get; init; }

    /// <summary>The title.</summary>
    public string? Title { get; init; }

    /// <summary>The tool it belongs to.</summary>
    public string? ToolName { get; init; }

    /// <summary>The model provider.</summary>
    public string? Provider { get; init; }

    /// <summary>The model.</summary>
    public string? Model { get; init; }

    /// <summary>Metadata as stored (a JSON object), or <see langword="null"/> when there is none.</summary>
    public string? MetadataJson { get; init; }

    /// <summary>When the thread was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its last turn was appended (or it was created).</summary>
    public required DateTimeOffset LastActivityAt { get; init; }

    /// <summary>When it expires, as last computed by the database; <see langword="null"/> for never (or not yet computed).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// Whether this call recorded the thread's creation: the database had no live thread of this continuation id,
    /// or it could not be asked and this process knew none (then an existing row, if any, keeps its values).
    /// </summary>
    public bool IsNew { get; init; }

    /// <summary>Whether the thread is known only from this process's own records (not yet confirmed by the database).</summary>
    public bool IsPending { get; init; }

    /// <summary>The metadata as a new <see cref="JsonObject"/>, or <see langword="null"/> when there is none.</summary>
    /// <returns>A new object on each call.</returns>
    public JsonObject? GetMetadata() => MetadataJson is null ? null : JsonNode.Parse(MetadataJson) as JsonObject;
}

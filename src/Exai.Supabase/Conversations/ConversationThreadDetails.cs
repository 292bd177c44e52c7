using System.Text.Json.Nodes;

namespace Exai.Supabase.Conversations;

/// <summary>
/// What a get-or-create sets on a thread. A new thread takes all of it; an existing thread keeps its values and only
/// fills those still empty (metadata keys are added).
/// </summary>
public sealed record ConversationThreadDetails
{
    /// <summary>The client session the thread belongs to (recorded, or seen again, in <c>sessions</c>).</summary>
    public ConversationSession? Session { get; init; }

    /// <summary>
    /// The owning user. In a user scope (<see cref="Security.ExaiScope"/>) it is that user and may be left empty;
    /// in the service scope it sets the owner explicitly.
    /// </summary>
    public Guid? OwnerUserId { get; init; }

    /// <summary>The thread's title.</summary>
    public string? Title { get; init; }

    /// <summary>The continuation id of the thread this one branched from.</summary>
    public string? ParentContinuationId { get; init; }

    /// <summary>The tool the thread belongs to.</summary>
    public string? ToolName { get; init; }

    /// <summary>The model provider of the thread.</summary>
    public string? Provider { get; init; }

    /// <summary>The model of the thread.</summary>
    public string? Model { get; init; }

    /// <summary>Free-form metadata; keys are added to an existing thread's, existing keys win.</summary>
    public JsonObject? Metadata { get; init; }
}

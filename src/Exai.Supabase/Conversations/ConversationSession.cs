using System.Text.Json.Nodes;

namespace Exai.Supabase.Conversations;

/// <summary>
/// A client session (an MCP client connection, say) that threads belong to; stored in <c>sessions</c>, its last
/// seen time moving forward each time a thread is opened with it.
/// </summary>
public sealed record ConversationSession
{
    /// <summary>The session's id, chosen by the caller (stable for the client connection).</summary>
    public required Guid Id { get; init; }

    /// <summary>The client's name (an MCP client's <c>clientInfo.name</c>, say).</summary>
    public string? ClientName { get; init; }

    /// <summary>A fingerprint of the client (version, host, …).</summary>
    public string? ClientFingerprint { get; init; }

    /// <summary>Free-form metadata; keys are merged into the stored session's.</summary>
    public JsonObject? Metadata { get; init; }
}

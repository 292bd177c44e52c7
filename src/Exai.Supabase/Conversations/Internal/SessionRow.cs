namespace Exai.Supabase.Conversations.Internal;

/// <summary>A row of <c>sessions</c>: one client connection (an MCP client, say) that owns threads.</summary>
internal sealed class SessionRow
{
    public Guid Id { get; set; }

    public Guid? UserId { get; set; }

    public string? ClientName { get; set; }

    public string? ClientFingerprint { get; set; }

    public string Metadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }
}

using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>A client session seen (or seen again), on its way to <c>sessions</c>: upserts on its id.</summary>
internal sealed class SessionRecord : OutboxRecord
{
    public const string Kind = "session";

    /// <summary>The owner set explicitly (service scope); otherwise the scope's user owns the session.</summary>
    public Guid? OwnerUserId { get; init; }

    public string? ClientName { get; init; }

    public string? ClientFingerprint { get; init; }

    public string Metadata { get; init; } = "{}";

    public override string KindName => Kind;

    public override int EstimatedBytes => 120 + (((ClientName?.Length ?? 0) + (ClientFingerprint?.Length ?? 0) + Metadata.Length) * 2);
}

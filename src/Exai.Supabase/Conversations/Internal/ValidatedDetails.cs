using System.Text.Json.Nodes;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>The details of a get-or-create, checked and with metadata serialised, before anything is recorded.</summary>
internal sealed record ValidatedDetails(
    ConversationSession? Session,
    string? SessionMetadata,
    Guid? OwnerUserId,
    string? Title,
    string? ParentContinuationId,
    string? ToolName,
    string? Provider,
    string? Model,
    string? Metadata)
{
    /// <summary>The session named without its details (the thread is recorded again; the session is not).</summary>
    public Guid? SessionId { get; init; }

    /// <summary>Details that restate a thread as it is (to record it again, filled).</summary>
    public static ValidatedDetails Of(ConversationThread thread) =>
        new(null, null, thread.UserId, thread.Title, thread.ParentContinuationId, thread.ToolName, thread.Provider, thread.Model, thread.MetadataJson)
        {
            SessionId = thread.SessionId,
        };

    public static ValidatedDetails From(ConversationThreadDetails details, ExaiScope scope)
    {
        string? sessionMetadata = null;
        if (details.Session is { } session)
        {
            InputGuard.NotEmpty(session.Id, "details.Session.Id");
            InputGuard.Optional(session.ClientName, "details.Session.ClientName", Limits.NameLength);
            InputGuard.Optional(session.ClientFingerprint, "details.Session.ClientFingerprint", Limits.ShortTextLength);
            sessionMetadata = InputGuard.Metadata(session.Metadata, "details.Session.Metadata");
        }

        InputGuard.NotEmpty(details.OwnerUserId, "details.OwnerUserId");
        if (details.OwnerUserId is { } owner && scope.UserId is { } user && owner != user)
        {
            throw new ArgumentException($"details.OwnerUserId ({owner}) is not the user of the current scope ({user}); in a user scope a thread belongs to that user.", "details.OwnerUserId");
        }

        if (details.ParentContinuationId is not null)
        {
            ContinuationIds.Validate(details.ParentContinuationId, "details.ParentContinuationId");
        }

        var metadata = details.Metadata is null ? null : InputGuard.Metadata(details.Metadata, "details.Metadata");
        return new ValidatedDetails(
            details.Session,
            sessionMetadata,
            details.OwnerUserId,
            InputGuard.Optional(details.Title, "details.Title", Limits.ShortTextLength),
            details.ParentContinuationId,
            InputGuard.Optional(details.ToolName, "details.ToolName", Limits.NameLength),
            InputGuard.Optional(details.Provider, "details.Provider", Limits.NameLength),
            InputGuard.Optional(details.Model, "details.Model", Limits.NameLength),
            metadata is "{}" ? null : metadata);
    }

    public SessionRecord SessionRecord(ExaiScope scope, DateTimeOffset now) => new()
    {
        Id = Session!.Id,
        RecordedAt = now,
        ScopeUserId = scope.UserId,
        ScopeClaims = scope.ClaimsJson,
        OwnerUserId = OwnerUserId,
        ClientName = Session.ClientName,
        ClientFingerprint = Session.ClientFingerprint,
        Metadata = SessionMetadata ?? "{}",
    };

    /// <summary>Whether recording these details would change the thread: an empty field to fill or a metadata key to add.</summary>
    public bool Fills(ConversationThread thread) =>
        (Session is not null && thread.SessionId is null)
        || (OwnerUserId is not null && thread.UserId is null)
        || (Title is not null && thread.Title is null)
        || (ParentContinuationId is not null && thread.ParentContinuationId is null)
        || (ToolName is not null && thread.ToolName is null)
        || (Provider is not null && thread.Provider is null)
        || (Model is not null && thread.Model is null)
        || (Metadata is not null && NewKeys(thread.MetadataJson));

    /// <summary>The thread as the upsert will leave it: existing values win, empty ones are filled, metadata keys added.</summary>
    public ConversationThread Apply(ConversationThread thread) => thread with
    {
        SessionId = thread.SessionId ?? Session?.Id,
        UserId = thread.UserId ?? OwnerUserId,
        Title = thread.Title ?? Title,
        ParentContinuationId = thread.ParentContinuationId ?? ParentContinuationId,
        ToolName = thread.ToolName ?? ToolName,
        Provider = thread.Provider ?? Provider,
        Model = thread.Model ?? Model,
        MetadataJson = MergedMetadata(thread.MetadataJson),
    };

    private bool NewKeys(string? existing)
    {
        if (existing is null)
        {
            return true;
        }

        var have = JsonNode.Parse(existing) as JsonObject;
        var add = JsonNode.Parse(Metadata!) as JsonObject;
        return add is not null && add.Any(p => have?.ContainsKey(p.Key) != true);
    }

    private string? MergedMetadata(string? existing)
    {
        if (Metadata is null)
        {
            return existing;
        }

        if (existing is null)
        {
            return Metadata;
        }

        var merged = (JsonNode.Parse(Metadata) as JsonObject) ?? [];
        foreach (var (name, value) in (JsonNode.Parse(existing) as JsonObject) ?? [])
        {
            merged[name] = value?.DeepClone();
        }

        return merged.ToJsonString();
    }
}

using System.Text.Json.Serialization;
using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>A turn appended to a thread, on its way to <c>messages</c>. Lands insert-if-absent on its id.</summary>
internal sealed class MessageRecord : OutboxRecord
{
    public const string Kind = "message";

    private Guid _threadId;
    private bool _settled;

    /// <summary>A blank for <see cref="BlankRecords{T}"/>: the store fills every property before recording it.</summary>
    public static MessageRecord Blank() => new() { Id = Guid.Empty, RecordedAt = default, ContinuationId = string.Empty, Role = string.Empty, Content = string.Empty };

    /// <summary>
    /// Writes to every cache line of a blank that an append writes to, each time with the value the blank already holds,
    /// so those lines move to the calling core (<see cref="BlankRecords{T}.WarmNext"/>). Only for a blank nobody else
    /// holds.
    /// </summary>
    /// <remarks>
    /// One write within every 64 bytes of the fields an append fills, from the first to the last in the runtime's layout
    /// (the base class's references, then its values, then this class's; a test checks the spacing), not one per field:
    /// each write is a store on the caller's path, and a line needs only one. Each writes null, so no GC write barrier
    /// runs.
    /// </remarks>
    public static void Warm(MessageRecord blank)
    {
        blank.ScopeClaims = null;
        blank.ScopeUserId = null;
        blank.Contents = null;
        blank.Tracker = null;
        blank.TokenCount = null;
    }

    public required string ContinuationId { get; set; }

    /// <summary>
    /// The thread's id if this record creates it (<see cref="ThreadIds.For"/>). Computed on first use — by the drain,
    /// not on the caller's path, since hashing the continuation id costs more than the rest of an append.
    /// </summary>
    public Guid ThreadId
    {
        get => _threadId == Guid.Empty ? _threadId = ThreadIds.For(ContinuationId) : _threadId;
        set => _threadId = value;
    }

    public required string Role { get; set; }

    public required string Content { get; set; }

    public string? Contents { get; set; }

    public string? ToolName { get; set; }

    public string? Provider { get; set; }

    public string? Model { get; set; }

    public int? InputTokens { get; set; }

    public int? OutputTokens { get; set; }

    public int? TokenCount { get; set; }

    public string? ToolCallId { get; set; }

    public string Metadata { get; set; } = "{}";

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        160 + (ContinuationId.Length * 2) + (Content.Length * 2) + ((Contents?.Length ?? 0) * 2) + (Metadata.Length * 2)
        + ((ToolName?.Length ?? 0) + (Provider?.Length ?? 0) + (Model?.Length ?? 0) + (ToolCallId?.Length ?? 0)) * 2;

    /// <summary>Files the turn refers to; their links travel as records of their own, this copy serves pending reads.</summary>
    [JsonIgnore]
    internal Guid[]? FileIds { get; set; }

    /// <summary>
    /// Set (by the drain) once the record has landed or will never land; the read-your-writes view then skips it and
    /// prunes it on its next visit to the thread, so the drain never touches the caller's structures.
    /// </summary>
    [JsonIgnore]
    internal bool Settled
    {
        get => Volatile.Read(ref _settled);
        set => Volatile.Write(ref _settled, value);
    }

    /// <summary>Whether this object was read back from a spill segment (the view tracks the original object, found by id).</summary>
    [JsonIgnore]
    internal bool Restored { get; set; }

    /// <summary>The read-your-writes view tracking this turn, told when it lands or will never land.</summary>
    [JsonIgnore]
    internal PendingTurns? Tracker { get; set; }

    /// <summary>
    /// The next turn in the view's log of tracked turns (<see cref="PendingTurns"/>): written once by the caller that
    /// appends after this one, cleared when the view moves past it.
    /// </summary>
    [JsonIgnore]
    internal MessageRecord? NextTracked;

    internal override void OnLanded() => Tracker?.OnMessageLanded(this);

    internal override void OnAbandoned() => Tracker?.OnMessageAbandoned(this);
}

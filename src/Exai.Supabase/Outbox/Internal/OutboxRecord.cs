using System.Text.Json.Serialization;
using Exai.Supabase.Security;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// One write waiting in the outbox. Not changed once recorded (settable only so that a blank made ahead of time can be
/// filled, see <see cref="BlankRecords{T}"/>); the serialised properties are what a spill segment keeps. Each record
/// carries a client-made UUIDv7 <see cref="Id"/> (landing is idempotent on it or on a natural key) and the user scope
/// it was recorded in.
/// </summary>
internal abstract class OutboxRecord
{
    // What the drain and spill tasks note about a record that waited for its parent or came from disk: most records
    // do neither, so it lives outside the record (which the caller allocates on every write) until first needed.
    private RecordTrail? _trail;

    /// <summary>The record's id: the row's primary key where the row is inserted, and the dead-letter key.</summary>
    public required Guid Id { get; set; }

    /// <summary>The user acted for when the record was made; null in the service scope.</summary>
    public Guid? ScopeUserId { get; set; }

    /// <summary>The claims of that scope (JSON), set for the landing transaction.</summary>
    public string? ScopeClaims { get; set; }

    /// <summary>When the caller recorded it.</summary>
    public required DateTimeOffset RecordedAt { get; set; }

    /// <summary>The name of the record's kind (the key into the kind registry and spill segments).</summary>
    [JsonIgnore]
    public abstract string KindName { get; }

    /// <summary>A rough count of the memory the record holds, for the byte caps.</summary>
    [JsonIgnore]
    public abstract int EstimatedBytes { get; }

    /// <summary>The flush epoch that counts this record until it is saved.</summary>
    [JsonIgnore]
    internal FlushEpoch? Epoch { get; set; }

    /// <summary>When the record entered this process's outbox (<see cref="Environment.TickCount64"/>, milliseconds).</summary>
    [JsonIgnore]
    internal long EnqueuedAt { get; set; }

    /// <summary>
    /// Whether a landing has been tried with this record (set as the attempt starts, so a commit whose answer was lost
    /// counts). A record read back from a spill segment is a new object: see <see cref="Origin"/>.
    /// </summary>
    [JsonIgnore]
    internal bool Attempted { get; private set; }

    /// <summary>When the record first found its parent missing (TimeProvider timestamp), or 0.</summary>
    [JsonIgnore]
    internal long WaitingSince
    {
        get => _trail?.WaitingSince ?? 0;
        set => Trail.WaitingSince = value;
    }

    /// <summary>How many times it was put back to wait for its parent.</summary>
    [JsonIgnore]
    internal int ParentWaits
    {
        get => _trail?.ParentWaits ?? 0;
        set => Trail.ParentWaits = value;
    }

    /// <summary>The spill segment it was read from, when it came from disk.</summary>
    [JsonIgnore]
    internal object? Origin
    {
        get => _trail?.Origin;
        set => Trail.Origin = value;
    }

    /// <summary>Where its frame starts in its spill segment.</summary>
    [JsonIgnore]
    internal long SpillPosition
    {
        get => _trail?.SpillPosition ?? 0;
        set => Trail.SpillPosition = value;
    }

    /// <summary>Its index among the records of its spill segment.</summary>
    [JsonIgnore]
    internal int SpillIndex
    {
        get => _trail?.SpillIndex ?? 0;
        set => Trail.SpillIndex = value;
    }

    /// <summary>The scope to land it under.</summary>
    [JsonIgnore]
    internal ExaiScope Scope => ExaiScope.FromStored(ScopeUserId, ScopeClaims);

    /// <summary>Called once the record's row is committed (read-your-writes views drop their copy).</summary>
    internal virtual void OnLanded()
    {
    }

    /// <summary>
    /// Called once the record will never land: dead-lettered, or dropped because the outbox was full (read-your-writes
    /// views drop their copy).
    /// </summary>
    internal virtual void OnAbandoned()
    {
    }

    /// <summary>
    /// Marks the record as tried and says whether this is its first landing: never tried and never written to a
    /// spill segment, so no earlier attempt, by this process or another, can have saved it.
    /// </summary>
    internal bool BeginAttempt()
    {
        var first = IsFirstAttempt;
        Attempted = true;
        return first;
    }

    /// <summary>Whether the next landing would be the record's first (see <see cref="BeginAttempt"/>).</summary>
    internal bool IsFirstAttempt => !Attempted && Origin is null;

    private RecordTrail Trail => _trail ??= new RecordTrail();

    /// <summary>Fills the scope fields from the ambient scope; feature services call it when they build a record.</summary>
    protected static (Guid? UserId, string? Claims) CurrentScope()
    {
        var scope = ExaiScope.Current;
        return (scope.UserId, scope.ClaimsJson);
    }

    private sealed class RecordTrail
    {
        public long WaitingSince;
        public int ParentWaits;
        public object? Origin;
        public long SpillPosition;
        public int SpillIndex;
    }
}

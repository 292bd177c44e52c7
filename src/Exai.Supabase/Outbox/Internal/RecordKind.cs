namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// How one kind of record lands: into a staging table by binary COPY, then into its table with one idempotent
/// statement (insert-if-absent on the record id, or an upsert on a natural key with a declared update).
/// Registered in DI; records name their kind by <see cref="Name"/>.
/// </summary>
internal abstract class RecordKind
{
    /// <summary>The kind's stable name, written into spill segments and dead letters.</summary>
    public abstract string Name { get; }

    /// <summary>Landing order inside a batch: parents (lower values) before the rows that refer to them.</summary>
    public abstract int Order { get; }

    /// <summary>The record type this kind lands.</summary>
    public abstract Type RecordType { get; }

    /// <summary>
    /// Copies the records into this kind's staging table (as the session's own role) and returns those whose parent
    /// row is not in the database yet; they are removed from the staging table and wait for a later batch.
    /// </summary>
    public abstract Task<IReadOnlyList<OutboxRecord>> StageAsync(LandingContext context, IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// Lands records of the service scope on their first attempt (<see cref="LandingContext.FirstAttempt"/>) some
    /// faster way than staging, when the kind has one and it applies; <see langword="false"/> to stage them as usual
    /// in the same transaction.
    /// </summary>
    public virtual Task<bool> TryLandFirstAttemptAsync(LandingContext context, IReadOnlyList<OutboxRecord> records, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    /// <summary>Moves the staged rows into place; runs under the scope's role, so row-level security applies.</summary>
    public abstract Task LandAsync(LandingContext context, CancellationToken cancellationToken);

    /// <summary>The record as UTF-8 JSON, for spill segments and dead letters.</summary>
    public abstract byte[] Serialize(OutboxRecord record);

    /// <summary>Reads a record back from <see cref="Serialize"/>'s output.</summary>
    public abstract OutboxRecord Deserialize(ReadOnlySpan<byte> json);
}

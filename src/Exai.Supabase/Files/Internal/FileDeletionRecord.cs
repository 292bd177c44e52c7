using System.Text.Json.Serialization;
using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// A deletion asked for, on its way to <c>file_deletion_jobs</c> (its <see cref="OutboxRecord.Id"/> is the job's
/// id). For a file, what to delete is read from the database as the job lands, in the same transaction that marks
/// the file deleted; for a provider file the database never knew (an orphan), <see cref="Targets"/> says it.
/// </summary>
internal sealed class FileDeletionRecord : OutboxRecord
{
    public const string Kind = "file_deletion";

    public Guid? FileId { get; init; }

    public string? Bucket { get; init; }

    public string? StoragePath { get; init; }

    public string? Reason { get; init; }

    /// <summary>Explicit targets (JSON) for a deletion not tied to a file row.</summary>
    public string? Targets { get; init; }

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        160 + (((Bucket?.Length ?? 0) + (StoragePath?.Length ?? 0) + (Reason?.Length ?? 0) + (Targets?.Length ?? 0)) * 2);

    [JsonIgnore]
    internal Action<FileDeletionRecord>? Landed { get; set; }

    internal override void OnLanded() => Landed?.Invoke(this);

    // A refused or dropped record is no longer pending either.
    internal override void OnAbandoned() => Landed?.Invoke(this);
}

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// A row of <c>file_deletion_jobs</c>: a queued deletion of a file at its providers and in storage. It keeps a copy
/// of what to delete (<see cref="Targets"/>) because the file's own rows are removed when the job completes.
/// </summary>
internal sealed class FileDeletionJobRow
{
    public Guid Id { get; set; }

    public Guid? FileId { get; set; }

    public Guid? UserId { get; set; }

    public string Status { get; set; } = "pending";

    public int Attempts { get; set; }

    public string? LastError { get; set; }

    public string? Reason { get; set; }

    /// <summary>What to delete, as JSON: the bucket and path, and each provider's file id.</summary>
    public string Targets { get; set; } = "{}";

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LockedBy { get; set; }

    public DateTimeOffset? LockedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string Metadata { get; set; } = "{}";

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }
}

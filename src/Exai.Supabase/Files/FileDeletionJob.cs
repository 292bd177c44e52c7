namespace Exai.Supabase.Files;

/// <summary>A queued deletion of a file (or of an orphaned provider file), as kept in <c>file_deletion_jobs</c>.</summary>
/// <param name="Id">The job's id.</param>
/// <param name="FileId">The file; <see langword="null"/> for a provider file the database never knew.</param>
/// <param name="Status">Its state.</param>
/// <param name="Attempts">How many times a worker claimed it.</param>
/// <param name="LastError">Why the last attempt failed (never an API key); <see langword="null"/> after success.</param>
/// <param name="Reason">Why the deletion was asked for.</param>
/// <param name="NextAttemptAt">When a worker may next claim it.</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="CompletedAt">When it finished.</param>
public sealed record FileDeletionJob(
    Guid Id,
    Guid? FileId,
    FileDeletionStatus Status,
    int Attempts,
    string? LastError,
    string? Reason,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt);

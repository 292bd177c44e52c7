namespace Exai.Supabase.Files;

/// <summary>The state of a queued deletion (<c>file_deletion_jobs.status</c>).</summary>
public enum FileDeletionStatus
{
    /// <summary>Waiting for a worker (first try, or a retry after its next attempt time).</summary>
    Pending,

    /// <summary>Claimed by a worker.</summary>
    Running,

    /// <summary>Done: deleted at every provider and in storage, and the records removed.</summary>
    Completed,

    /// <summary>Given up after the configured number of attempts; <see cref="FileDeletionJob.LastError"/> says why.</summary>
    Failed,
}

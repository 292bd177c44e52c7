namespace Exai.Supabase.Security;

/// <summary>What <see cref="IExaiErasure.EraseUserAsync"/> removed and queued.</summary>
public sealed record ErasureReport
{
    /// <summary>The user erased.</summary>
    public required Guid UserId { get; init; }

    /// <summary>
    /// Rows deleted now, by table: <c>sessions</c>, <c>conversations</c>, <c>messages</c>, <c>conversation_files</c>,
    /// <c>outbox_dead_letters</c> and <c>file_deletion_jobs</c> (finished jobs of earlier deletions). Every table is
    /// listed, with 0 when nothing was deleted.
    /// </summary>
    public required IReadOnlyDictionary<string, long> RowsDeleted { get; init; }

    /// <summary>The deletion jobs queued now, one per live file of the user.</summary>
    public required IReadOnlyList<Guid> FileDeletionJobs { get; init; }

    /// <summary>The provider upload records of the files queued now (their provider files are deleted with them).</summary>
    public required long ProviderUploadsQueued { get; init; }

    /// <summary>Deletion jobs of the user that had given up (status failed) and were queued again.</summary>
    public required long FileDeletionJobsRetried { get; init; }

    /// <summary>
    /// The user's files whose deletion is queued but not done yet (those queued now included): their rows, storage
    /// objects and provider files go when the deletion worker has worked their jobs.
    /// </summary>
    public required long FilesPending { get; init; }

    /// <summary>The files queued for deletion now.</summary>
    public int FilesQueued => FileDeletionJobs.Count;

    /// <summary>Rows deleted now, in all tables.</summary>
    public long TotalRowsDeleted => RowsDeleted.Values.Sum();

    /// <summary>Whether the call found nothing of the user to remove or queue (a repeated erasure once all is done).</summary>
    public bool NothingFound => TotalRowsDeleted == 0 && FilesQueued == 0 && FileDeletionJobsRetried == 0;

    /// <summary>Describes the report (counts and the user's id only).</summary>
    /// <returns>A one-line description.</returns>
    public override string ToString() =>
        $"Erasure of user {UserId}: {string.Join(", ", RowsDeleted.Select(r => $"{r.Key} {r.Value}"))}; " +
        $"{FilesQueued} file(s) queued for deletion ({ProviderUploadsQueued} provider upload(s)), {FileDeletionJobsRetried} failed job(s) retried, {FilesPending} file(s) pending";
}

namespace Exai.Supabase.Security;

/// <summary>
/// Erases everything the library keeps of one user: threads with their turns and file links, sessions, files (their
/// storage objects and provider copies too, through the file deletion queue) and the user's dead letters.
/// </summary>
/// <remarks>
/// <para>
/// Service scope only: a user scope sees only its own rows, and erasing a user is an operator's act, not a tool's.
/// The call first flushes the outbox, so what was recorded for the user before the call is erased too; stop the
/// user's activity first, since a record made after the flush lands after the erasure.
/// </para>
/// <para>
/// Rows are deleted in one transaction. Files are marked deleted in it and each gets a <c>file_deletion_jobs</c> job;
/// the deletion worker then deletes the object in storage and the provider files (one still used by another user's
/// file stays), and removes the file's rows. Jobs of the user that had given up are retried. The call is idempotent:
/// running it again erases what arrived since and removes the user's finished deletion jobs, so a second run after the
/// worker is done leaves nothing of the user (<see cref="ErasureReport.FilesPending"/> is then 0).
/// </para>
/// <para>
/// Not erased: issues and prompt performance rows (shared, not owned by a user; an issue's <c>reported_by</c> may
/// name the user's id), and records still in another process's outbox.
/// </para>
/// </remarks>
public interface IExaiErasure
{
    /// <summary>Erases the user's rows and queues the deletion of the user's files.</summary>
    /// <param name="userId">The user (Supabase's <c>auth.users.id</c>).</param>
    /// <param name="cancellationToken">Cancels the flush and the erasure (nothing is erased unless the transaction commits).</param>
    /// <returns>What was removed and queued.</returns>
    /// <exception cref="ArgumentException"><paramref name="userId"/> is the empty GUID.</exception>
    /// <exception cref="InvalidOperationException">The current scope is a user's.</exception>
    Task<ErasureReport> EraseUserAsync(Guid userId, CancellationToken cancellationToken = default);
}

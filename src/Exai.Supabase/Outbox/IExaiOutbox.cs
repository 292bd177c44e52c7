namespace Exai.Supabase.Outbox;

/// <summary>
/// The in-process outbox every write of the library goes through: recording returns at once and the caller never
/// performs I/O; a background drain writes batches to the database.
/// </summary>
public interface IExaiOutbox
{
    /// <summary>
    /// Waits until every record accepted before the call is in the database (or dead-lettered). While the database is
    /// unreachable it keeps waiting; use the token to bound the wait.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait (the records stay queued).</param>
    /// <returns>A task that completes at the durability point.</returns>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>The outbox's counters now.</summary>
    /// <returns>A snapshot.</returns>
    OutboxStatistics GetStatistics();
}

namespace Exai.Supabase.Realtime;

/// <summary>
/// Committed changes of the tables in publication <c>supabase_realtime</c>, read through PostgreSQL logical
/// replication (<c>pgoutput</c>) over <c>ConnectionStrings:ExaiDirect</c> — on Supabase the direct connection
/// (port 5432): the transaction pooler cannot replicate. The connecting role needs the <c>REPLICATION</c> attribute.
/// </summary>
public interface IChangeFeed
{
    /// <summary>
    /// Streams the subscribed tables' changes in commit order, reconnecting with backoff when the connection drops.
    /// Each stream has a replication connection and slot of its own.
    /// </summary>
    /// <remarks>
    /// Logical replication does not apply row-level security, so the feed applies the library's rule itself when
    /// <see cref="Security.ExaiScope.Current"/> is a user's at the call: only rows whose <c>user_id</c> is the user's
    /// and rows of the tables shared with every user (<c>issues</c>, <c>system_prompts</c>) are delivered; a change that
    /// does not carry its row's owner (a delete of a <c>messages</c> row, a truncate, any change of
    /// <c>provider_file_uploads</c>) is withheld. In the service scope every change is delivered.
    /// </remarks>
    /// <param name="subscription">The tables, filters, slot and acknowledgement mode.</param>
    /// <param name="cancellationToken">Ends the stream (with <see cref="OperationCanceledException"/>).</param>
    /// <returns>The changes; enumerate once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="subscription"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The slot name is not a valid slot name, or the acknowledgement mode is not a <see cref="ChangeAcknowledgement"/> value.</exception>
    /// <exception cref="ChangeFeedPermissionException">
    /// While enumerating: the role may not replicate (grant it with <c>ALTER ROLE … WITH REPLICATION</c>).
    /// </exception>
    /// <exception cref="ChangeFeedConfigurationException">
    /// While enumerating: a table is not in the publication, or the slot belongs to another database or plugin.
    /// </exception>
    IAsyncEnumerable<ChangeEvent> SubscribeAsync(ChangeFeedSubscription subscription, CancellationToken cancellationToken = default);

    /// <summary>
    /// The logical replication slots of this database with the write-ahead log each keeps on the server. Logs a
    /// warning for every slot over <see cref="RealtimeOptions.RetainedWalWarningBytes"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The slots, by name.</returns>
    Task<IReadOnlyList<ReplicationSlotInfo>> GetSlotsAsync(CancellationToken cancellationToken = default);

    /// <summary>Drops an abandoned (inactive) logical replication slot of this database, releasing the WAL it holds.</summary>
    /// <param name="slotName">The slot's name.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the slot was dropped; <see langword="false"/> when there was no such slot.</returns>
    /// <exception cref="ArgumentException"><paramref name="slotName"/> is not a valid slot name.</exception>
    /// <exception cref="InvalidOperationException">The slot is in use by a running subscriber, or the current scope is a user's.</exception>
    /// <exception cref="ChangeFeedPermissionException">The role may not manage replication slots.</exception>
    Task<bool> DropSlotAsync(string slotName, CancellationToken cancellationToken = default);
}

using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Realtime.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Realtime;

/// <summary>
/// What a change feed subscriber wants: the tables, optional filters, the slot and how events are acknowledged.
/// Passed to <see cref="IChangeFeed.SubscribeAsync"/>; while that stream runs, <see cref="AcknowledgeAsync"/>
/// confirms positions on it. One object drives one stream at a time.
/// </summary>
/// <example>
/// <code>
/// var subscription = new ChangeFeedSubscription("messages") { Filters = [ChangeFilter.Equal("conversation_id", id)] };
/// await foreach (var change in feed.SubscribeAsync(subscription, cancellationToken))
/// {
///     Console.Error.WriteLine($"{change.Kind} {change.Table} {change.NewValues["id"]}");
/// }
/// </code>
/// </example>
public sealed class ChangeFeedSubscription
{
    private ChangeStreamState? _active;

    /// <summary>Subscribes to the given tables (schema <c>public</c>; each must be in publication <c>supabase_realtime</c>).</summary>
    /// <param name="tables">One or more table names, for example <c>messages</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tables"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No table is given, or a name is empty, whitespace, over-long, repeated, or holds a NUL character or a lone surrogate.</exception>
    public ChangeFeedSubscription(params IEnumerable<string> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var list = tables.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("Name at least one table, for example \"messages\".", nameof(tables));
        }

        foreach (var table in list)
        {
            if (string.IsNullOrWhiteSpace(table))
            {
                throw new ArgumentException("A table name is null, empty or whitespace.", nameof(tables));
            }

            InputGuard.Required(table, nameof(tables), Limits.NameLength);
        }

        if (list.Distinct(StringComparer.Ordinal).Count() != list.Length)
        {
            throw new ArgumentException($"A table is named twice ({string.Join(", ", list)}).", nameof(tables));
        }

        Tables = list;
    }

    /// <summary>The subscribed tables.</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>Filters every delivered change must pass (all of them). See <see cref="ChangeFilter"/>.</summary>
    /// <value>The default value is no filter.</value>
    public IReadOnlyList<ChangeFilter> Filters { get; init; } = [];

    /// <summary>
    /// The name of a permanent replication slot: created when missing, kept when the subscriber stops, and resumed
    /// after the last acknowledged event (at-least-once delivery, across reconnects and process restarts).
    /// <see langword="null"/> for a temporary slot: a new one per connection, dropped by the server when the
    /// subscriber disconnects; changes committed while disconnected are not delivered (a <see cref="ChangeKind.Gap"/>
    /// event says so).
    /// </summary>
    /// <remarks>
    /// Lower-case letters, digits and underscores, at most 63 characters. A permanent slot keeps write-ahead log on the
    /// server until it is acknowledged: drop abandoned ones with <see cref="IChangeFeed.DropSlotAsync"/>.
    /// </remarks>
    /// <value>The default value is <see langword="null"/> (a temporary slot).</value>
    public string? SlotName { get; init; }

    /// <summary>When an event counts as processed.</summary>
    /// <value>The default value is <see cref="ChangeAcknowledgement.OnNextRead"/>.</value>
    public ChangeAcknowledgement Acknowledgement { get; init; } = ChangeAcknowledgement.OnNextRead;

    /// <summary>Whether <see cref="SlotName"/> names a permanent slot.</summary>
    public bool IsPermanent => SlotName is not null;

    /// <summary>
    /// Confirms every change up to and including <paramref name="lsn"/> (an event's <see cref="ChangeEvent.Lsn"/>) and
    /// sends the position to the server at once, so a permanent slot resumes after it. Positions only move forward.
    /// </summary>
    /// <param name="lsn">The position to confirm.</param>
    /// <param name="cancellationToken">Cancels the status update (the position is kept either way).</param>
    /// <returns>A task that completes when the status update is sent (or, while reconnecting, when it is kept for the next connection).</returns>
    /// <exception cref="InvalidOperationException">No stream of this subscription is running.</exception>
    public Task AcknowledgeAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken = default)
    {
        var active = Volatile.Read(ref _active)
            ?? throw new InvalidOperationException("This subscription has no running stream; acknowledge while enumerating SubscribeAsync.");
        return active.AcknowledgeThroughAsync(lsn, cancellationToken);
    }

    /// <summary>
    /// Whether the stream announces, with a <see cref="ChangeKind.Gap"/> event, the moment its slot exists: every change
    /// committed from then on is delivered. In-process caches reload on it (anything before was not seen).
    /// </summary>
    internal bool AnnounceStart { get; init; }

    internal void Attach(ChangeStreamState state)
    {
        if (Interlocked.CompareExchange(ref _active, state, null) is not null)
        {
            throw new InvalidOperationException("This subscription already drives a running stream; create another ChangeFeedSubscription for a second stream.");
        }
    }

    internal void Detach(ChangeStreamState state) => Interlocked.CompareExchange(ref _active, null, state);
}

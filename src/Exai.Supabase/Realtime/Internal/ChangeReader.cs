using Exai.Supabase.Persistence.Internal;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// One subscription's replication connection: connects (creating the slot), decodes pgoutput messages into
/// <see cref="ChangeEvent"/>s, filters them and reconnects with backoff when the connection drops. Not thread-safe:
/// one consumer pulls with <see cref="NextAsync"/>; nothing is read while the consumer works (backpressure).
/// </summary>
/// <remarks>
/// The last event of a transaction is held until the transaction's commit message arrives (it follows at once), so
/// its acknowledgement can confirm the end of the transaction and a permanent slot resumes after it. Every other event
/// confirms its own position, which resumes with its transaction (delivered again: at-least-once).
/// </remarks>
internal sealed class ChangeReader : IAsyncDisposable
{
    private readonly ChangeFeed _feed;
    private readonly ChangeFeedSubscription _subscription;
    private readonly ChangeStreamState _state;
    private readonly Guid? _scopeUser;
    private readonly HashSet<string> _tables;
    private readonly Dictionary<uint, RelationInfo> _relations = [];
    private readonly Queue<ChangeEvent> _ready = new();
    private readonly CancellationTokenSource _background = new();
    private LogicalReplicationConnection? _connection;
    private CancellationTokenSource? _streaming;
    private IAsyncEnumerator<PgOutputReplicationMessage>? _messages;
    private Task? _slotChecks;
    private string _slotName;
    private bool _connectedBefore;
    private int _failures;
    private long? _disconnectedAt;
    private long _delivered;

    // Read by the idle-advance loop: whether the reader is between messages (waiting on the server) and between
    // transactions. See AdvanceWhileIdleAsync.
    private volatile bool _busy;
    private volatile bool _betweenTransactions = true;
    private Task? _idleAdvance;

    // The transaction being received.
    private ChangeEvent? _held;
    private bool _deliveredInTransaction;
    private uint _transactionId;
    private DateTimeOffset _commitTime;
    private NpgsqlLogSequenceNumber _commitLsn;

    /// <param name="feed">The feed.</param>
    /// <param name="subscription">What to stream.</param>
    /// <param name="state">The stream's acknowledgement state.</param>
    /// <param name="scopeUser">The user the subscriber acts for (see <see cref="ChangeFilters.VisibleTo"/>); null for the service.</param>
    public ChangeReader(ChangeFeed feed, ChangeFeedSubscription subscription, ChangeStreamState state, Guid? scopeUser = null)
    {
        _scopeUser = scopeUser;
        _feed = feed;
        _subscription = subscription;
        _state = state;
        _tables = new HashSet<string>(subscription.Tables, StringComparer.Ordinal);
        _slotName = subscription.SlotName ?? "(temporary)";
    }

    public async ValueTask<ChangeEvent> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_ready.TryPeek(out var ready))
            {
                // Recorded before it leaves the queue, so the idle-advance loop never sees it in neither place.
                _state.Delivered(ready);
                _ready.Dequeue();
                _delivered++;
                return ready;
            }

            if (_messages is null)
            {
                await ConnectAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            bool moved;
            try
            {
                // The consumer's cancellation first sends the acknowledged position, then stops the stream: a
                // permanent slot then resumes after the last acknowledged event even when the stop came mid-read.
                using (cancellationToken.UnsafeRegister(static state => _ = ((ChangeReader)state!).StopStreamingAsync(), this))
                {
                    _busy = false;
                    moved = await _messages.MoveNextAsync().ConfigureAwait(false);
                    _busy = true;
                }

                if (moved)
                {
                    _failures = 0;
                    await ProcessAsync(_messages.Current, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (Exception ex) when (IsRetryable(ex))
            {
                await LoseConnectionAsync(ex, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex)
            {
                throw Translate(ex);
            }

            if (!moved)
            {
                // The server ended replication (it is shutting down): reconnect like after any loss.
                await LoseConnectionAsync(new NpgsqlException("the server ended replication"), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _background.CancelAsync().ConfigureAwait(false);
        await SendFinalStatusAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
        if (_slotChecks is not null)
        {
            await _slotChecks.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_idleAdvance is not null)
        {
            await _idleAdvance.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _background.Dispose();
        RealtimeLog.Ended(_feed.Logger, _slotName, _delivered, _state.Acknowledged.ToString());
    }

    /// <summary>Sends the position acknowledged since the last status update, so a graceful stop does not redeliver.</summary>
    private async Task SendFinalStatusAsync()
    {
        if (!_subscription.IsPermanent || _messages is null || _streaming is not { IsCancellationRequested: false } || _state.StatusConnection() is not { } connection)
        {
            return;
        }

        try
        {
            connection.SetReplicationStatus(_state.Acknowledged);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.SendStatusUpdate(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Best effort, whatever failed (the stream may be ending under it): the slot then redelivers from the
            // last position the server confirmed, which at-least-once allows.
            RealtimeLog.FinalStatusFailed(_feed.Logger, _slotName, ex.Message);
        }
    }

    private async Task StopStreamingAsync()
    {
        var streaming = _streaming;
        try
        {
            await SendFinalStatusAsync().ConfigureAwait(false);
        }
        finally
        {
            if (streaming is not null)
            {
                try
                {
                    await streaming.CancelAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // Closed meanwhile.
                }
            }
        }
    }

    private static bool IsRetryable(Exception exception)
    {
        if (exception is PostgresException pg)
        {
            // The publication missing (migrations pending) or dropped and re-created: wait for it.
            return pg.SqlState == PostgresErrorCodes.UndefinedObject || PostgresErrors.Classify(pg) is ErrorDisposition.Transient or ErrorDisposition.SchemaNotReady;
        }

        return exception is PublicationMissingException || PostgresErrors.IsTransient(exception) ||
            exception is NpgsqlException or IOException or EndOfStreamException or TimeoutException ||
            (exception is OperationCanceledException && exception.InnerException is TimeoutException);
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsRetryable(ex))
        {
            await CloseAsync().ConfigureAwait(false);
            await BackOffAsync(ex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await CloseAsync().ConfigureAwait(false);
            var translated = Translate(ex);
            RealtimeLog.Failed(_feed.Logger, _slotName, translated.Message);
            throw translated;
        }
    }

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var missing = await _feed.MissingFromPublicationAsync(_subscription.Tables, cancellationToken).ConfigureAwait(false)
            ?? throw new PublicationMissingException();
        if (missing.Count > 0)
        {
            throw new ChangeFeedConfigurationException(
                $"Table(s) {string.Join(", ", missing)} are not in publication {ChangeFeed.PublicationName}, so no change of them would arrive. " +
                $"Add them as the publication's owner: ALTER PUBLICATION {ChangeFeed.PublicationName} ADD TABLE {string.Join(", ", missing.Select(t => "public." + t))};");
        }

        NpgsqlLogSequenceNumber? startAt = null;
        var createPermanent = false;
        if (_subscription.SlotName is { } permanent)
        {
            var slot = await _feed.FindSlotAsync(permanent, cancellationToken).ConfigureAwait(false);
            if (slot is null)
            {
                createPermanent = true;
            }
            else
            {
                if (!slot.InThisDatabase || slot.SlotType != "logical" || slot.Plugin != "pgoutput")
                {
                    throw new ChangeFeedConfigurationException(
                        $"Replication slot '{permanent}' exists but is a {slot.SlotType} slot of plugin '{slot.Plugin}' for database '{slot.Database}'; " +
                        "the change feed needs a pgoutput logical slot of this database. Choose another SlotName (slot names are unique in the whole server).");
                }

                if (slot.ConfirmedFlushLsn is { } confirmed)
                {
                    _state.Acknowledge(confirmed);
                }
            }
        }

        var connection = new LogicalReplicationConnection(_feed.ReplicationConnectionString)
        {
            WalReceiverStatusInterval = _feed.Options.StatusInterval,
            WalReceiverTimeout = _feed.Options.ServerTimeout,
        };
        _connection = connection;
        await connection.Open(cancellationToken).ConfigureAwait(false);

        PgOutputReplicationSlot replicationSlot;
        if (_subscription.SlotName is null)
        {
            _slotName = SlotNames.Temporary(_feed.Options.SlotNamePrefix);
            replicationSlot = await connection.CreatePgOutputReplicationSlot(
                _slotName, temporarySlot: true, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (createPermanent)
            {
                try
                {
                    await connection.CreatePgOutputReplicationSlot(
                        _slotName, temporarySlot: false, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport, cancellationToken: cancellationToken).ConfigureAwait(false);
                    RealtimeLog.SlotCreated(_feed.Logger, _slotName);
                }
                catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateObject)
                {
                    // Another instance created it a moment ago; use it.
                }
            }

            replicationSlot = new PgOutputReplicationSlot(_slotName);
            var acknowledged = _state.Acknowledged;
            startAt = acknowledged == default ? null : acknowledged;
        }

        _state.Bind(connection);
        _relations.Clear();
        _held = null;
        _betweenTransactions = true;
        _streaming = new CancellationTokenSource();
        _messages = connection.StartReplication(
                replicationSlot,
                new PgOutputReplicationOptions(ChangeFeed.PublicationName, PgOutputProtocolVersion.V1),
                _streaming.Token,
                startAt)
            .GetAsyncEnumerator(_streaming.Token);

        var outage = _disconnectedAt is { } since ? _feed.TimeProvider.GetElapsedTime(since) : TimeSpan.Zero;
        if (!_connectedBefore)
        {
            RealtimeLog.Streaming(_feed.Logger, string.Join(", ", _subscription.Tables), _subscription.IsPermanent ? "permanent" : "temporary", _slotName);
            if (_subscription.AnnounceStart)
            {
                _ready.Enqueue(new ChangeEvent(
                    _state, ChangeKind.Gap, string.Empty, string.Empty, null, null, false, _feed.TimeProvider.GetUtcNow(), default, default, 0));
            }
        }
        else if (_subscription.IsPermanent)
        {
            RealtimeLog.Reconnected(_feed.Logger, _slotName, outage);
        }
        else
        {
            RealtimeLog.GapAfterReconnect(_feed.Logger, _slotName, outage);
            _ready.Enqueue(new ChangeEvent(
                _state, ChangeKind.Gap, string.Empty, string.Empty, null, null, false, _feed.TimeProvider.GetUtcNow(), default, default, 0));
        }

        _connectedBefore = true;
        _disconnectedAt = null;
        _slotChecks ??= _subscription.IsPermanent ? CheckSlotsPeriodicallyAsync(_background.Token) : _feed.CheckSlotsQuietlyAsync(_background.Token);
        _idleAdvance ??= AdvanceWhileIdleAsync(_background.Token);
    }

    private async Task LoseConnectionAsync(Exception cause, CancellationToken cancellationToken)
    {
        // An event held for its commit is not delivered: a permanent slot sends its transaction again; for a
        // temporary one it is part of the gap.
        _held = null;
        await CloseAsync().ConfigureAwait(false);
        await BackOffAsync(cause, cancellationToken).ConfigureAwait(false);
    }

    private async Task BackOffAsync(Exception cause, CancellationToken cancellationToken)
    {
        _disconnectedAt ??= _feed.TimeProvider.GetTimestamp();
        _failures++;
        var options = _feed.Options;
        var ceiling = Math.Min(options.MaxReconnectDelay.TotalMilliseconds, options.ReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(_failures - 1, 20)));
        var delay = TimeSpan.FromMilliseconds(ceiling * (0.8 + (Random.Shared.NextDouble() * 0.4)));
        if (cause is PublicationMissingException)
        {
            RealtimeLog.PublicationMissing(_feed.Logger, delay);
        }
        else
        {
            RealtimeLog.Disconnected(_feed.Logger, _slotName, PostgresErrors.Describe(cause), delay);
        }

        await Task.Delay(delay, _feed.TimeProvider, cancellationToken).ConfigureAwait(false);
    }

    private async Task CloseAsync()
    {
        _state.Bind(null);
        var messages = _messages;
        var connection = _connection;
        var streaming = _streaming;
        _messages = null;
        _connection = null;
        _streaming = null;
        if (streaming is not null)
        {
            await streaming.CancelAsync().ConfigureAwait(false);
        }

        if (messages is not null)
        {
            try
            {
                await messages.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
            {
                // The connection is going anyway.
            }
        }

        if (connection is not null)
        {
            try
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
            {
                // Already broken.
            }
        }

        streaming?.Dispose();
    }

    /// <summary>
    /// While every decoded event is acknowledged and the reader waits on the server between transactions, confirms
    /// the last position received (a keepalive's, or the start of a transaction not yet processed) as pg_recvlogical
    /// and PostgreSQL's own subscriber do. Without it a quiet subscriber would keep the slot's WAL, and a clean
    /// server shutdown — which waits until its WAL senders are confirmed up to the end — would never finish.
    /// </summary>
    /// <remarks>
    /// Safe because the received position is read before the flags: a transaction's commit message raises it only
    /// after its begin message was processed (which clears <see cref="_betweenTransactions"/>), and any other message
    /// carries a position no later than its transaction's commit, which the slot then still delivers.
    /// </remarks>
    private async Task AdvanceWhileIdleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_feed.Options.StatusInterval, _feed.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Volatile.Read(ref _connection) is not { } connection)
                {
                    continue;
                }

                var received = connection.LastReceivedLsn;
                if (!_busy && _betweenTransactions && _state.AllDeliveredAcknowledged && received > _state.Acknowledged)
                {
                    _state.Acknowledge(received);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
    }

    private async Task CheckSlotsPeriodicallyAsync(CancellationToken cancellationToken)
    {
        await _feed.CheckSlotsQuietlyAsync(cancellationToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(_feed.Options.SlotCheckInterval, _feed.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await _feed.CheckSlotsQuietlyAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The stream ended.
        }
    }

    private Exception Translate(Exception exception)
    {
        var pg = exception as PostgresException ?? exception.InnerException as PostgresException;
        return pg?.SqlState switch
        {
            PostgresErrorCodes.InsufficientPrivilege => new ChangeFeedPermissionException(_feed.Role, pg.MessageText, pg),
            PostgresErrorCodes.InvalidAuthorizationSpecification => new ChangeFeedConfigurationException(
                $"The server refused the replication connection ({pg.MessageText}). Allow replication connections for role \"{_feed.Role}\" " +
                "(a 'host replication …' line in pg_hba.conf) and connect through ConnectionStrings:ExaiDirect — on Supabase the direct " +
                "connection (port 5432), not the transaction pooler (port 6543).",
                pg),
            _ => exception,
        };
    }

    private async Task ProcessAsync(PgOutputReplicationMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case BeginMessage begin:
                _betweenTransactions = false;
                _held = null;
                _deliveredInTransaction = false;
                _transactionId = begin.TransactionXid;
                _commitTime = new DateTimeOffset(DateTime.SpecifyKind(begin.TransactionCommitTimestamp, DateTimeKind.Utc));
                _commitLsn = begin.TransactionFinalLsn;
                break;
            case RelationMessage relation:
                Remember(relation);
                break;
            case InsertMessage insert when Relation(insert.Relation) is { Subscribed: true } table:
            {
                var row = await ReadRowAsync(insert.NewRow, table, cancellationToken).ConfigureAwait(false);
                Offer(Change(ChangeKind.Insert, table, message, row, null, false), table);
                break;
            }

            case UpdateMessage update when Relation(update.Relation) is { Subscribed: true } table:
            {
                RowValues? old = null;
                if (update is FullUpdateMessage full)
                {
                    old = await ReadRowAsync(full.OldRow, table, cancellationToken).ConfigureAwait(false);
                }
                else if (update is IndexUpdateMessage index)
                {
                    old = await ReadRowAsync(index.Key, table, cancellationToken, keyOnly: true).ConfigureAwait(false);
                }

                var row = await ReadRowAsync(update.NewRow, table, cancellationToken, fallback: old).ConfigureAwait(false);
                Offer(Change(ChangeKind.Update, table, message, row, old, update is FullUpdateMessage), table);
                break;
            }

            case FullDeleteMessage delete when Relation(delete.Relation) is { Subscribed: true } table:
            {
                var old = await ReadRowAsync(delete.OldRow, table, cancellationToken).ConfigureAwait(false);
                Offer(Change(ChangeKind.Delete, table, message, null, old, true), table);
                break;
            }

            case KeyDeleteMessage delete when Relation(delete.Relation) is { Subscribed: true } table:
            {
                var old = await ReadRowAsync(delete.Key, table, cancellationToken, keyOnly: true).ConfigureAwait(false);
                Offer(Change(ChangeKind.Delete, table, message, null, old, false), table);
                break;
            }

            case TruncateMessage truncate:
                foreach (var truncated in truncate.Relations)
                {
                    if (Relation(truncated) is { Subscribed: true } table)
                    {
                        Offer(Change(ChangeKind.Truncate, table, message, null, null, false), table);
                    }
                }

                break;
            case CommitMessage commit:
                if (_held is not null)
                {
                    _held.AcknowledgeLsn = commit.TransactionEndLsn;
                    _ready.Enqueue(_held);
                    _held = null;
                }
                else if (!_deliveredInTransaction && _state.AllDeliveredAcknowledged)
                {
                    // Nothing of this transaction was for this subscriber, and everything before is processed:
                    // confirm it so the slot does not keep its WAL.
                    _state.Acknowledge(commit.TransactionEndLsn);
                }

                _betweenTransactions = true;
                break;
        }
    }

    private RelationInfo? Relation(RelationMessage relation) =>
        _relations.TryGetValue(relation.RelationId, out var info) ? info : Remember(relation);

    private RelationInfo Remember(RelationMessage relation)
    {
        var columns = new List<(string, uint, bool)>();
        foreach (var column in relation.Columns)
        {
            columns.Add((column.ColumnName, column.DataTypeId, (column.Flags & RelationMessage.Column.ColumnFlags.PartOfKey) != 0));
        }

        var info = new RelationInfo(
            relation.RelationId,
            relation.Namespace,
            relation.RelationName,
            relation.ReplicaIdentity == RelationMessage.ReplicaIdentitySetting.AllColumns,
            columns,
            relation.Namespace == TableNames.Schema && _tables.Contains(relation.RelationName));
        _relations[relation.RelationId] = info;
        return info;
    }

    private ChangeEvent Change(ChangeKind kind, RelationInfo table, PgOutputReplicationMessage message, RowValues? row, RowValues? old, bool oldComplete) =>
        new(_state, kind, table.Schema, table.Name, row, old, oldComplete, _commitTime, message.WalStart, _commitLsn, _transactionId);

    /// <summary>Holds a change that passes the filters, releasing the one held before (it is not its transaction's last).</summary>
    private void Offer(ChangeEvent change, RelationInfo table)
    {
        if (!ChangeFilters.Pass(_subscription.Filters, change, table) || !ChangeFilters.VisibleTo(_scopeUser, change, table))
        {
            return;
        }

        if (_held is not null)
        {
            _ready.Enqueue(_held);
        }

        _held = change;
        _deliveredInTransaction = true;
    }

    private static async Task<RowValues> ReadRowAsync(
        ReplicationTuple tuple, RelationInfo table, CancellationToken cancellationToken, RowValues? fallback = null, bool keyOnly = false)
    {
        var values = new object?[table.Names.Length];
        // A key-only old row carries every column, the ones outside the key as NULL: those are not values.
        var present = keyOnly ? (bool[])table.IsKey.Clone() : null;
        var i = 0;
        await foreach (var value in tuple.ConfigureAwait(false))
        {
            if (i >= values.Length)
            {
                break;
            }

            switch (value.Kind)
            {
                case TupleDataKind.Null:
                    break;
                case TupleDataKind.UnchangedToastedValue:
                    if (fallback is not null && fallback.TryGetValue(table.Names[i], out var previous))
                    {
                        values[i] = previous;
                    }
                    else
                    {
                        present ??= Enumerable.Repeat(true, values.Length).ToArray();
                        present[i] = false;
                    }

                    break;
                default:
                    var text = await value.Get<string>(cancellationToken).ConfigureAwait(false);
                    values[i] = table.Converters[i](text);
                    break;
            }

            i++;
        }

        if (i < values.Length)
        {
            present ??= Enumerable.Repeat(true, values.Length).ToArray();
            for (var j = i; j < values.Length; j++)
            {
                present[j] = false;
            }
        }

        return new RowValues(table, values, present);
    }

    /// <summary>Raised (internally) while the publication does not exist: the schema is not migrated yet.</summary>
    private sealed class PublicationMissingException() : Exception("publication supabase_realtime does not exist yet");
}

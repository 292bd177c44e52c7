using Npgsql;
using Npgsql.Replication;
using NpgsqlTypes;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// The acknowledged position of one running stream, shared by its reader, its events and its subscription. The
/// position only moves forward; it is handed to the current replication connection, whose status updates carry it
/// to the server as the flushed (and applied) LSN.
/// </summary>
internal sealed class ChangeStreamState
{
    // Delivered transactions whose end has not been confirmed yet: (last delivered event's LSN, the transaction's end).
    // Lets an explicit AcknowledgeAsync(event.Lsn) resume after that event's transaction. Bounded: when a consumer
    // never acknowledges, the oldest entries go and an acknowledgement of them resumes with their transaction instead.
    private const int MaxTrackedTransactions = 4_096;
    private readonly Queue<(ulong LastEventLsn, ulong EndLsn)> _transactions = new();
    private readonly Lock _gate = new();
    private long _acknowledged;
    private long _lastDelivered;
    private Binding? _binding;

    public NpgsqlLogSequenceNumber Acknowledged => new(unchecked((ulong)Interlocked.Read(ref _acknowledged)));

    /// <summary>Whether every delivered event has been acknowledged.</summary>
    public bool AllDeliveredAcknowledged => unchecked((ulong)Interlocked.Read(ref _acknowledged) >= (ulong)Interlocked.Read(ref _lastDelivered));

    public void Acknowledge(NpgsqlLogSequenceNumber lsn)
    {
        var value = (ulong)lsn;
        while (true)
        {
            var current = Interlocked.Read(ref _acknowledged);
            if (unchecked((ulong)current) >= value)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _acknowledged, unchecked((long)value), current) == current)
            {
                break;
            }
        }

        Volatile.Read(ref _binding)?.Connection.SetReplicationStatus(lsn);
    }

    /// <summary>Records an event handed to the consumer.</summary>
    public void Delivered(ChangeEvent change)
    {
        if (change.Kind == ChangeKind.Gap)
        {
            return;
        }

        Interlocked.Exchange(ref _lastDelivered, unchecked((long)(ulong)change.AcknowledgeLsn));
        if (change.AcknowledgeLsn != change.Lsn)
        {
            lock (_gate)
            {
                if (_transactions.Count == MaxTrackedTransactions)
                {
                    _transactions.Dequeue();
                }

                _transactions.Enqueue(((ulong)change.Lsn, (ulong)change.AcknowledgeLsn));
            }
        }
    }

    public async Task AcknowledgeThroughAsync(NpgsqlLogSequenceNumber lsn, CancellationToken cancellationToken)
    {
        var target = (ulong)lsn;
        lock (_gate)
        {
            while (_transactions.TryPeek(out var transaction) && transaction.LastEventLsn <= (ulong)lsn)
            {
                target = Math.Max(target, transaction.EndLsn);
                _transactions.Dequeue();
            }
        }

        Acknowledge(new NpgsqlLogSequenceNumber(target));
        if (StatusConnection() is { } connection)
        {
            try
            {
                await connection.SendStatusUpdate(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Best effort: not streaming right now (reconnecting, or the stream ending under it). The position is
                // kept, goes with the connection's next periodic status update, or is sent by the next connection.
            }
        }
    }

    /// <summary>Makes <paramref name="connection"/> the one status updates go through, telling it the position so far.</summary>
    /// <remarks>Call before replication starts on it, so its received position at that moment is the starting one.</remarks>
    public void Bind(ReplicationConnection? connection)
    {
        if (connection is not null && Interlocked.Read(ref _acknowledged) != 0)
        {
            connection.SetReplicationStatus(Acknowledged);
        }

        Volatile.Write(ref _binding, connection is null ? null : new Binding(connection, connection.LastReceivedLsn));
    }

    /// <summary>
    /// The bound connection once its stream is running (a message or keepalive has arrived on it), else null. Npgsql
    /// accepts a status update as soon as START_REPLICATION is sent, but one sent before the server's answer arrives
    /// never releases the connection's feedback lock, and the stream then hangs; the first message received proves
    /// the answer was read.
    /// </summary>
    public ReplicationConnection? StatusConnection() =>
        Volatile.Read(ref _binding) is { } binding && binding.Connection.LastReceivedLsn != binding.ReceivedAtStart
            ? binding.Connection
            : null;

    // The received position only moves forward, so once it has left its starting value the stream has started.
    private sealed record Binding(ReplicationConnection Connection, NpgsqlLogSequenceNumber ReceivedAtStart);
}

using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// One temporary-slot subscription per process over the realtime tables, shared by every in-process listener (the
/// prompt cache, conversation readers): one replication slot and one decode however many listeners there are. It
/// starts with the first listener and stops with the last. Each listener has a bounded queue; a listener that falls
/// <see cref="ListenerCapacity"/> events behind, and every listener after a reconnect, gets a
/// <see cref="ChangeKind.Gap"/> event and should reload what it caches.
/// </summary>
internal sealed class ChangeHub : IAsyncDisposable
{
    public const int ListenerCapacity = 1_024;

    private readonly IChangeFeed _feed;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<Listener> _listeners = [];
    private CancellationTokenSource? _running;

    // Whether the running stream has announced its start (its slot exists): a listener joining after that gets a gap
    // of its own at once; one joining before gets the announcement.
    private bool _announced;
    private Task _pump = Task.CompletedTask;

    public ChangeHub(IChangeFeed feed, TimeProvider timeProvider, ILoggerFactory? loggerFactory = null)
    {
        _feed = feed;
        _timeProvider = timeProvider;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ChangeHub>();
    }

    /// <summary>How many listeners are registered now.</summary>
    public int ListenerCount
    {
        get
        {
            lock (_gate)
            {
                return _listeners.Count;
            }
        }
    }

    /// <summary>The changes of <paramref name="table"/> that pass <paramref name="predicate"/>, plus gap events.</summary>
    public async IAsyncEnumerable<ChangeEvent> ListenAsync(string table, Func<ChangeEvent, bool>? predicate, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var listener = new Listener(table, predicate);
        Register(listener);
        try
        {
            while (true)
            {
                if (Interlocked.Exchange(ref listener.Missed, 0) == 1)
                {
                    yield return Gap();
                    continue;
                }

                if (!await listener.Queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield break;
                }

                while (Volatile.Read(ref listener.Missed) == 0 && listener.Queue.Reader.TryRead(out var change))
                {
                    if (change.Kind == ChangeKind.Gap)
                    {
                        // Only a wake-up: Offer set Missed before writing it, so the gap is (or was) yielded from there.
                        continue;
                    }

                    yield return change;
                }
            }
        }
        finally
        {
            await UnregisterAsync(listener).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        CancellationTokenSource? running;
        Task pump;
        lock (_gate)
        {
            running = _running;
            _running = null;
            pump = _pump;
        }

        if (running is not null)
        {
            await running.CancelAsync().ConfigureAwait(false);
        }

        // Also when the last listener already stopped it: disposal returns once its replication connection is closed.
        await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        running?.Dispose();
    }

    private ChangeEvent Gap() => new(null, ChangeKind.Gap, string.Empty, string.Empty, null, null, false, _timeProvider.GetUtcNow(), default, default, 0);

    private void Register(Listener listener)
    {
        lock (_gate)
        {
            _listeners.Add(listener);
            if (_running is not null)
            {
                if (_announced)
                {
                    // Joining a stream whose slot exists: everything from now on arrives, and the listener learns so
                    // at once (as the first ones did from the announcement) so it can read what it has not seen.
                    Volatile.Write(ref listener.Missed, 1);
                }
            }
            else
            {
                _announced = false;
                var previous = _pump;
                var running = new CancellationTokenSource();
                _running = running;
                var token = running.Token;
                _pump = Task.Run(() => PumpAsync(previous, running, token), CancellationToken.None);
            }
        }
    }

    private async Task UnregisterAsync(Listener listener)
    {
        CancellationTokenSource? stop = null;
        lock (_gate)
        {
            _listeners.Remove(listener);
            if (_listeners.Count == 0 && _running is not null)
            {
                stop = _running;
                _running = null;
            }
        }

        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            stop.Dispose();
        }
    }

    // running identifies this pump (the last listener may dispose it, so the token is taken before, under the lock).
    private async Task PumpAsync(Task previous, CancellationTokenSource running, CancellationToken cancellationToken)
    {
        // A pump stopped a moment ago must have released its slot before the next one starts.
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // The start is announced (as a gap), so listeners reload once the slot exists rather than before it.
        var subscription = new ChangeFeedSubscription(TableNames.Realtime) { AnnounceStart = true };
        try
        {
            // The shared stream serves the library itself, in the service scope, whichever flow started it.
            IAsyncEnumerable<ChangeEvent> changes;
            using (ExaiScope.Begin(ExaiScope.Service))
            {
                changes = _feed.SubscribeAsync(subscription, cancellationToken);
            }

            await foreach (var change in changes.ConfigureAwait(false))
            {
                Listener[] listeners;
                lock (_gate)
                {
                    _announced |= change.Kind == ChangeKind.Gap;
                    listeners = [.. _listeners];
                }

                foreach (var listener in listeners)
                {
                    listener.Offer(change);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The last listener left.
        }
        catch (Exception ex)
        {
            RealtimeLog.Failed(_logger, "(shared)", ex.Message);
            lock (_gate)
            {
                if (!ReferenceEquals(_running, running))
                {
                    // The last listener left before this failed, and a newer pump may already serve new ones.
                    return;
                }

                foreach (var listener in _listeners)
                {
                    listener.Queue.Writer.TryComplete(ex);
                }

                _listeners.Clear();
                _running = null;
            }
        }
    }

    private sealed class Listener(string table, Func<ChangeEvent, bool>? predicate)
    {
        public int Missed;

        public Channel<ChangeEvent> Queue { get; } = Channel.CreateBounded<ChangeEvent>(
            new BoundedChannelOptions(ListenerCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

        public void Offer(ChangeEvent change)
        {
            if (change.Kind == ChangeKind.Gap)
            {
                // Set first, then wake a reader waiting for the channel (a full channel is awake already).
                Volatile.Write(ref Missed, 1);
                Queue.Writer.TryWrite(change);
                return;
            }

            if (!string.Equals(change.Table, table, StringComparison.Ordinal) || (predicate is not null && !predicate(change)))
            {
                return;
            }

            if (!Queue.Writer.TryWrite(change))
            {
                // Too far behind: tell it to reload rather than hold the shared stream for it.
                Volatile.Write(ref Missed, 1);
            }
        }
    }
}

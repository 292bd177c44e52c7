using System.Runtime.CompilerServices;
using Exai.Supabase.Realtime.Internal;
using Exai.Supabase.Security;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// The watch side: "a turn was appended" signals from the process's shared change-feed subscription
/// (<see cref="TurnSignals"/>), each answered by reading the announced turn by id in the caller's scope. The turns
/// recorded before enumeration started are taken as seen; those recorded since, found already in the first read, come
/// first. A resync (the slot's creation, joining a running stream, a reconnect, a watcher that fell behind) reads back
/// from the newest turn until it meets one already seen, and yields the rest oldest first, so no turn committed before
/// the slot existed or during a gap is missed.
/// </summary>
internal sealed partial class ConversationStore
{
    private const int WatchPageTurns = 256;
    private const int WatchResyncPages = 16;
    private const int WatchSeenCapacity = WatchPageTurns * WatchResyncPages;

    public IAsyncEnumerable<ConversationMessage> WatchAsync(string continuationId, CancellationToken cancellationToken = default)
    {
        // Checked here, at the call, not at the first MoveNextAsync; the scope is the caller's, wherever it enumerates.
        ContinuationIds.Validate(continuationId, nameof(continuationId));
        return WatchValidatedAsync(continuationId, ExaiScope.Current, cancellationToken);
    }

    private async IAsyncEnumerable<ConversationMessage> WatchValidatedAsync(string continuationId, ExaiScope scope, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The watch starts now: a turn recorded from here on is yielded even when it has landed by the time the
        // history below is read; only the turns recorded before are taken as seen.
        var startedAt = Now();
        var seen = new SeenTurns(WatchSeenCapacity);
        var recordedSinceStart = new List<ConversationMessage>();
        Guid threadId;
        using (ExaiScope.Begin(scope))
        {
            var thread = await _reader.ThreadAsync(continuationId, startedAt, cancellationToken).ConfigureAwait(false);
            threadId = thread?.Id ?? ThreadIds.For(continuationId);
            foreach (var turn in await _reader.NewestAsync(continuationId, WatchPageTurns, null, Now(), cancellationToken).ConfigureAwait(false))
            {
                if (turn.CreatedAt < startedAt)
                {
                    seen.Add(turn.Id);
                }
                else
                {
                    recordedSinceStart.Add(turn);
                }
            }
        }

        foreach (var turn in recordedSinceStart)
        {
            seen.Add(turn.Id);
            yield return turn;
        }

        await foreach (var signal in _turns.WatchAsync(threadId, cancellationToken).ConfigureAwait(false))
        {
            List<ConversationMessage> turns;
            using (ExaiScope.Begin(scope))
            {
                turns = signal.IsResync
                    ? await UnseenAsync(continuationId, seen, cancellationToken).ConfigureAwait(false)
                    : await _reader.ByIdsAsync(continuationId, [signal.MessageId], Now(), cancellationToken).ConfigureAwait(false);
            }

            foreach (var turn in turns)
            {
                if (seen.Add(turn.Id))
                {
                    yield return turn;
                }
            }
        }
    }

    /// <summary>The newest turns back to the first one seen (at most <see cref="WatchResyncPages"/> pages), oldest first.</summary>
    private async Task<List<ConversationMessage>> UnseenAsync(string continuationId, SeenTurns seen, CancellationToken cancellationToken)
    {
        var unseen = new List<ConversationMessage>();
        MessageCursor? before = null;
        for (var page = 0; page < WatchResyncPages; page++)
        {
            var turns = await _reader.NewestAsync(continuationId, WatchPageTurns, before, Now(), cancellationToken).ConfigureAwait(false);
            var metSeen = false;
            for (var i = turns.Count - 1; i >= 0 && !metSeen; i--)
            {
                metSeen = seen.Contains(turns[i].Id);
                if (!metSeen)
                {
                    unseen.Add(turns[i]);
                }
            }

            if (metSeen || turns.Count < WatchPageTurns)
            {
                break;
            }

            before = MessageCursor.Of(turns[0]);
        }

        unseen.Reverse();
        return unseen;
    }

    /// <summary>The ids yielded (or present at the start), the oldest forgotten past the capacity.</summary>
    private sealed class SeenTurns(int capacity)
    {
        private readonly HashSet<Guid> _ids = [];
        private readonly Queue<Guid> _order = new();

        public bool Contains(Guid id) => _ids.Contains(id);

        public bool Add(Guid id)
        {
            if (!_ids.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}

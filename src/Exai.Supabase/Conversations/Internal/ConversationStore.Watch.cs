using System.Runtime.CompilerServices;
using Exai.Supabase.Realtime.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// The watch side: "a turn was appended" signals from the process's shared change-feed subscription
/// (<see cref="TurnSignals"/>), each answered by reading the announced turns by id in the current scope. The turns
/// newest at the start are taken as seen, and a resync (the slot's creation, a reconnect, a consumer that fell behind)
/// re-reads the newest turns and yields those not seen yet, so turns committed before the slot existed or during a
/// gap are not missed.
/// </summary>
internal sealed partial class ConversationStore
{
    private const int WatchResyncTurns = 256;
    private const int WatchSeenCapacity = 4_096;

    public IAsyncEnumerable<ConversationMessage> WatchAsync(string continuationId, CancellationToken cancellationToken = default)
    {
        // Checked here, at the call, not at the first MoveNextAsync.
        ContinuationIds.Validate(continuationId, nameof(continuationId));
        return WatchValidatedAsync(continuationId, cancellationToken);
    }

    private async IAsyncEnumerable<ConversationMessage> WatchValidatedAsync(string continuationId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var thread = await _reader.ThreadAsync(continuationId, Now(), cancellationToken).ConfigureAwait(false);
        var threadId = thread?.Id ?? ThreadIds.For(continuationId);
        var seen = new SeenTurns(WatchSeenCapacity);
        foreach (var turn in await _reader.NewestAsync(continuationId, WatchResyncTurns, null, Now(), cancellationToken).ConfigureAwait(false))
        {
            seen.Add(turn.Id);
        }

        await foreach (var signal in _turns.WatchAsync(threadId, cancellationToken).ConfigureAwait(false))
        {
            var turns = signal.IsResync
                ? await _reader.NewestAsync(continuationId, WatchResyncTurns, null, Now(), cancellationToken).ConfigureAwait(false)
                : await _reader.ByIdsAsync(continuationId, [signal.MessageId], Now(), cancellationToken).ConfigureAwait(false);
            foreach (var turn in turns)
            {
                if (seen.Add(turn.Id))
                {
                    yield return turn;
                }
            }
        }
    }

    /// <summary>The ids yielded (or present at the start), the oldest forgotten past the capacity.</summary>
    private sealed class SeenTurns(int capacity)
    {
        private readonly HashSet<Guid> _ids = [];
        private readonly Queue<Guid> _order = new();

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

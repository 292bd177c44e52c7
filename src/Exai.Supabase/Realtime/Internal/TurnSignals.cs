using System.Runtime.CompilerServices;
using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// "A turn was appended" for conversation readers, from inserts into <c>messages</c> on the shared
/// <see cref="ChangeHub"/> (one slot per process however many readers wait).
/// </summary>
internal sealed class TurnSignals(ChangeHub hub)
{
    /// <summary>Turns appended to <paramref name="conversationId"/> (every conversation when <see langword="null"/>), plus resyncs.</summary>
    public async IAsyncEnumerable<TurnAppended> WatchAsync(Guid? conversationId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Func<ChangeEvent, bool> predicate = conversationId is { } id
            ? change => change.Kind != ChangeKind.Insert || (change.NewValues.TryGetValue(ColumnNames.ConversationId, out var c) && c is Guid g && g == id)
            : change => true;
        await foreach (var change in hub.ListenAsync(TableNames.Messages, predicate, cancellationToken).ConfigureAwait(false))
        {
            if (TurnAppended.From(change) is { } turn)
            {
                yield return turn;
            }
        }
    }
}

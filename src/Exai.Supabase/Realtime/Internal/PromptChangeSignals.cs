using System.Runtime.CompilerServices;
using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// Prompt cache invalidation across instances from the change feed: every committed change of <c>system_prompts</c>
/// (any instance, any tool — the SQL editor included) as the cache keys it touches, on the shared <see cref="ChangeHub"/>.
/// </summary>
internal sealed class PromptChangeSignals(ChangeHub hub)
{
    public async IAsyncEnumerable<PromptInvalidation> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var change in hub.ListenAsync(TableNames.SystemPrompts, null, cancellationToken).ConfigureAwait(false))
        {
            foreach (var invalidation in PromptInvalidation.From(change))
            {
                yield return invalidation;
            }
        }
    }
}

using Exai.Supabase.Realtime.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// Prompt changes from the realtime change feed (<see cref="PromptChangeSource.ChangeFeed"/>): every committed change of
/// <c>system_prompts</c> on the shared change hub, as the cache keys it touches. A gap in the feed (a reconnect, a
/// truncate) and every (re)start ask for a full refresh; a failed subscription (no REPLICATION privilege, say) is
/// retried with backoff while the safety refresh keeps the cache current.
/// </summary>
internal sealed class ChangeFeedPromptChanges(PromptChangeSignals signals, IOptions<ExaiSupabaseOptions> options, ILogger<ChangeFeedPromptChanges> logger)
    : IPromptChangeFeed
{
    private readonly PromptOptions _options = options.Value.Prompts;

    public async Task RunAsync(IPromptChangeSink sink, CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Changes committed before the stream's slot exists are not in it.
                sink.Resync();
                await foreach (var invalidation in signals.WatchAsync(cancellationToken).ConfigureAwait(false))
                {
                    delay = _options.ReconnectDelay;
                    if (invalidation.IsAll)
                    {
                        sink.Resync();
                    }
                    else
                    {
                        sink.Changed(invalidation.ToolName!, invalidation.Provider!);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                PromptsLog.ChangeFeedFailed(logger, ex.Message, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// Starts the prompt cache with the host (in the background: start-up never waits for the database) when
/// <see cref="PromptOptions.LoadAtStart"/> is set, and stops its loops at shutdown.
/// </summary>
internal sealed class PromptCacheHostedService(PromptCache cache, IOptions<ExaiSupabaseOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Prompts.LoadAtStart)
        {
            cache.EnsureStarted();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => cache.StopAsync().WaitAsync(cancellationToken);
}

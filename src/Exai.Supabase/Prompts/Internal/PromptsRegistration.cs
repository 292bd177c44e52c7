using Exai.Supabase.Outbox.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>Registers the prompts feature: the cache, its change feed, the resolver and manager, the execution record kind.</summary>
internal static class PromptsRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<PromptRepository>();
        // The change feed is swappable (a realtime feed may replace LISTEN/NOTIFY): register another IPromptChangeFeed first.
        services.TryAddSingleton<IPromptChangeFeed>(sp =>
            sp.GetRequiredService<IOptions<ExaiSupabaseOptions>>().Value.Prompts.ChangeSource == PromptChangeSource.ChangeFeed
                ? ActivatorUtilities.CreateInstance<ChangeFeedPromptChanges>(sp)
                : ActivatorUtilities.CreateInstance<PromptChangeListener>(sp));
        services.TryAddSingleton<PromptCache>();
        services.TryAddSingleton<PromptResolver>();
        services.TryAddSingleton<IPromptResolver>(sp => sp.GetRequiredService<PromptResolver>());
        services.TryAddSingleton<PromptManager>();
        services.TryAddSingleton<IPromptManager>(sp => sp.GetRequiredService<PromptManager>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, PromptExecutionKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PromptCacheHostedService>());
    }
}

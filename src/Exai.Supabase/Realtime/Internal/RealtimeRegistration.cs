using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>Registers the change feed.</summary>
internal static class RealtimeRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<ChangeFeed>();
        services.TryAddSingleton<IChangeFeed>(sp => sp.GetRequiredService<ChangeFeed>());
        services.TryAddSingleton<ChangeHub>();
        services.TryAddSingleton<PromptChangeSignals>();
        services.TryAddSingleton<TurnSignals>();
    }
}

using Exai.Supabase.Outbox.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>Registers the conversations feature: its record kinds, views, store and clean-up.</summary>
internal static class ConversationsRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, SessionKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, ConversationKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, MessageKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, ConversationFileKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, ConversationDeleteKind>());
        services.TryAddSingleton<ConversationExpiry>();
        services.TryAddSingleton<ThreadHistoryCache>();
        services.TryAddSingleton<PendingTurns>();
        services.TryAddSingleton<ConversationReader>();
        services.TryAddSingleton<ConversationStore>();
        services.TryAddSingleton<IConversationStore>(sp => sp.GetRequiredService<ConversationStore>());
        services.TryAddSingleton<ConversationCleanupService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConversationCleanupService>(sp => sp.GetRequiredService<ConversationCleanupService>()));
    }
}

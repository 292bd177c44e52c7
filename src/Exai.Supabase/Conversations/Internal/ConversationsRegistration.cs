using Exai.Supabase.Outbox.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>Registers the conversations feature: its record kinds and services.</summary>
internal static class ConversationsRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, SessionKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, ConversationKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, MessageKind>());
    }
}

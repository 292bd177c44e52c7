using Exai.Supabase.Outbox.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Exai.Supabase.Issues.Internal;

/// <summary>Registers the issue tracker: its record kinds, its pending view and <see cref="IIssueTracker"/>.</summary>
internal static class IssuesRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, NewIssueKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, IssueEntryKind>());
        services.TryAddSingleton<PendingIssues>();
        services.TryAddSingleton<IIssueTracker, IssueTracker>();
    }
}

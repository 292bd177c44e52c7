using Exai.Supabase.Outbox.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Files.Internal;

/// <summary>Registers the files feature: its record kinds, HTTP clients, store, service and deletion worker.</summary>
internal static class FilesRegistration
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, FileKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, ProviderUploadKind>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<RecordKind, FileDeletionKind>());

        // Time-outs are per attempt (HttpRetry), so the clients' own overall time-out is off. Every header value is
        // redacted in the factory's logs: requests carry API keys in Authorization and apikey.
        services.AddHttpClient(FilesHttp.ProviderClient, c => c.Timeout = Timeout.InfiniteTimeSpan).RedactLoggedHeaders(_ => true);
        services.AddHttpClient(FilesHttp.StorageClient, c => c.Timeout = Timeout.InfiniteTimeSpan).RedactLoggedHeaders(_ => true);

        services.TryAddSingleton<PendingFiles>();
        services.TryAddSingleton<FileDeletionSignal>();
        services.TryAddSingleton<IProviderFileClientFactory, ProviderFileClientFactory>();
        services.TryAddSingleton<IFileStorage>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ExaiSupabaseOptions>>().Value.Files;
            return string.IsNullOrWhiteSpace(options.Storage.SupabaseUrl)
                ? new LocalFileStorage(options)
                : new SupabaseFileStorage(options, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<ILogger<SupabaseFileStorage>>());
        });
        services.TryAddSingleton<IFileSync, FileSync>();
        services.TryAddSingleton<FileDeletionRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, FileDeletionWorker>());
    }
}

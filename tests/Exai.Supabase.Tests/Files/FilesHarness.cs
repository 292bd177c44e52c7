using Exai.Supabase.Testing;
using Exai.Supabase.Files;
using Exai.Supabase.Files.Internal;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Tests.Files;

/// <summary>The library wired for a files test: providers and storage at the loopback fake, its own spill and local folders.</summary>
internal sealed class FilesHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private FilesHarness(ServiceProvider provider, string localDirectory)
    {
        _provider = provider;
        LocalDirectory = localDirectory;
        Processor = provider.GetRequiredService<OutboxProcessor>();
        Files = provider.GetRequiredService<IFileSync>();
        Runner = provider.GetRequiredService<FileDeletionRunner>();
        Storage = provider.GetRequiredService<IFileStorage>();
        Clients = provider.GetRequiredService<IProviderFileClientFactory>();
    }

    public OutboxProcessor Processor { get; }

    public IFileSync Files { get; }

    public FileDeletionRunner Runner { get; }

    public IFileStorage Storage { get; }

    public IProviderFileClientFactory Clients { get; }

    public IServiceProvider Services => _provider;

    public string LocalDirectory { get; }

    public static FilesHarness Create(
        string connectionString,
        LocalFileApis apis,
        Action<FilesOptions>? configure = null,
        bool supabaseStorage = true,
        TimeProvider? time = null)
    {
        var localDirectory = Path.Combine(Path.GetTempPath(), "exai-files-tests", Guid.NewGuid().ToString("N")[..12]);
        var services = new ServiceCollection();
        services.AddLogging(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("System.Net.Http", LogLevel.Trace)
            .AddFilter("Exai.Supabase", LogLevel.Debug)
            .AddProvider(TestLoggerProvider.Instance));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = OutboxHarness.NewSpillRoot();
            o.Outbox.MaxBatchAge = TimeSpan.FromMilliseconds(20);
            o.Outbox.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.Outbox.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
            var files = o.Files;
            files.Providers["kimi"] = Provider(apis.KimiBaseUrl, LocalFileApis.KimiKey);
            files.Providers["glm"] = Provider(apis.GlmBaseUrl, LocalFileApis.GlmKey);
            if (supabaseStorage)
            {
                files.Storage.SupabaseUrl = apis.SupabaseUrl;
                files.Storage.ServiceKey = LocalFileApis.ServiceKey;
            }
            else
            {
                files.Storage.LocalDirectory = localDirectory;
            }

            files.Storage.RetryDelay = TimeSpan.FromMilliseconds(20);
            files.Storage.Timeout = TimeSpan.FromSeconds(5);
            files.Deletion.RetryDelay = TimeSpan.FromSeconds(1);
            files.Deletion.MaxRetryDelay = TimeSpan.FromSeconds(10);
            files.OrphanGracePeriod = TimeSpan.Zero;
            configure?.Invoke(files);
        });
        var provider = services.BuildServiceProvider();
        var harness = new FilesHarness(provider, localDirectory);
        harness.Processor.EnsureStarted();
        return harness;
    }

    public static FileProviderOptions Provider(string baseUrl, string apiKey) => new()
    {
        BaseUrl = baseUrl,
        ApiKey = apiKey,
        Timeout = TimeSpan.FromSeconds(5),
        RetryDelay = TimeSpan.FromMilliseconds(20),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        UsageCacheDuration = TimeSpan.Zero,
    };

    public static MemoryStream Content(string text) => new(System.Text.Encoding.UTF8.GetBytes(text));

    public Task FlushAsync() => Processor.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        if (Directory.Exists(LocalDirectory))
        {
            Directory.Delete(LocalDirectory, recursive: true);
        }
    }
}

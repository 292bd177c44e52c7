using Exai.Supabase.Outbox;
using Exai.Supabase.Prompts;
using Exai.Supabase.Prompts.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Tests.Prompts;

/// <summary>One instance of the library wired for prompt tests: its own service provider, cache and spill folder.</summary>
internal sealed class PromptHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private PromptHarness(ServiceProvider provider)
    {
        _provider = provider;
        Resolver = provider.GetRequiredService<IPromptResolver>();
        Manager = provider.GetRequiredService<IPromptManager>();
        Outbox = provider.GetRequiredService<IExaiOutbox>();
        Cache = provider.GetRequiredService<PromptCache>();
    }

    public IPromptResolver Resolver { get; }

    public IPromptManager Manager { get; }

    public IExaiOutbox Outbox { get; }

    public PromptCache Cache { get; }

    public IServiceProvider Services => _provider;

    /// <summary>Builds an instance; <paramref name="start"/> starts the cache as a host's start would.</summary>
    public static PromptHarness Create(string connectionString, Action<PromptOptions>? configure = null, bool start = true)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(TestLoggerProvider.Instance));
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = OutboxHarness.NewSpillRoot();
            o.Outbox.MaxBatchAge = TimeSpan.FromMilliseconds(20);
            o.Outbox.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.Outbox.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
            o.Prompts.ReconnectDelay = TimeSpan.FromMilliseconds(50);
            o.Prompts.MaxReconnectDelay = TimeSpan.FromMilliseconds(500);
            configure?.Invoke(o.Prompts);
        });
        var harness = new PromptHarness(services.BuildServiceProvider());
        if (start)
        {
            harness.Cache.EnsureStarted();
        }

        return harness;
    }

    /// <summary>Waits until the cache has loaded in full (the listener has connected and resynced, or the first load ran).</summary>
    public Task WhenLoadedAsync() =>
        Eventually.TrueAsync(() => Task.FromResult(Cache.Snapshot.Loaded), TimeSpan.FromSeconds(30), "the prompt cache loading");

    public static NewPromptVersion Prompt(string tool, string provider, string content, string? version = null, int tier = 0) => new()
    {
        Tool = tool,
        Provider = provider,
        Content = content,
        Version = version,
        Tier = tier,
        Author = "tests",
    };

    /// <summary>Stores and activates a version in one go.</summary>
    public async Task<PromptVersion> PublishAsync(string tool, string provider, string content, string? version = null)
    {
        var stored = await Manager.StoreVersionAsync(Prompt(tool, provider, content, version));
        await Manager.ActivateAsync(tool, provider, stored.Version.Version, "tests");
        return stored.Version;
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}

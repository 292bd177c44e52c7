using Exai.Supabase.Conversations;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Outbox;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Tests.Conversations;

/// <summary>One instance of the library (a process, as far as the store knows) with its own spill folder.</summary>
internal sealed class ConversationHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private int _disposed;

    private ConversationHarness(ServiceProvider provider, string spillRoot)
    {
        _provider = provider;
        SpillRoot = spillRoot;
        Store = provider.GetRequiredService<IConversationStore>();
        Processor = provider.GetRequiredService<OutboxProcessor>();
        Pending = provider.GetRequiredService<PendingTurns>();
        Cache = provider.GetRequiredService<ThreadHistoryCache>();
        Cleanup = provider.GetRequiredService<ConversationCleanupService>();
    }

    public IConversationStore Store { get; }

    public OutboxProcessor Processor { get; }

    public IExaiOutbox Outbox => Processor;

    public PendingTurns Pending { get; }

    public ThreadHistoryCache Cache { get; }

    public ConversationCleanupService Cleanup { get; }

    public string SpillRoot { get; }

    public IServiceProvider Services => _provider;

    public static ConversationHarness Create(
        string connectionString,
        string? spillRoot = null,
        Action<ConversationOptions>? conversations = null,
        TimeProvider? time = null,
        Action<OutboxOptions>? outbox = null)
    {
        spillRoot ??= OutboxHarness.NewSpillRoot();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(TestLoggerProvider.Instance));
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = spillRoot;
            o.Outbox.MaxBatchAge = TimeSpan.FromMilliseconds(20);
            o.Outbox.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.Outbox.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
            o.Outbox.SpillAfter = TimeSpan.FromMilliseconds(200);
            o.Conversations.OutageProbeInterval = TimeSpan.FromMilliseconds(100);
            outbox?.Invoke(o.Outbox);
            conversations?.Invoke(o.Conversations);
        });
        var provider = services.BuildServiceProvider();
        var harness = new ConversationHarness(provider, spillRoot);
        harness.Processor.EnsureStarted();
        return harness;
    }

    public static string Unique(string prefix = "c") => $"{prefix}-{Guid.NewGuid():N}";

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _provider.DisposeAsync();
        }
    }
}

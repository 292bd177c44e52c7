using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Outbox;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>The library wired for one test: its own spill folder, the outbox reachable for direct records.</summary>
internal sealed class OutboxHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private int _disposed;

    private OutboxHarness(ServiceProvider provider, string spillRoot)
    {
        _provider = provider;
        SpillRoot = spillRoot;
        Processor = provider.GetRequiredService<OutboxProcessor>();
    }

    public OutboxProcessor Processor { get; }

    public IExaiOutbox Outbox => Processor;

    public string SpillRoot { get; }

    public IServiceProvider Services => _provider;

    public static OutboxHarness Create(string connectionString, string? spillRoot = null, Action<OutboxOptions>? configure = null)
    {
        spillRoot ??= NewSpillRoot();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(TestLoggerProvider.Instance));
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = spillRoot;
            o.Outbox.MaxBatchAge = TimeSpan.FromMilliseconds(20);
            o.Outbox.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.Outbox.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
            o.Outbox.SpillAfter = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o.Outbox);
        });
        var provider = services.BuildServiceProvider();
        var harness = new OutboxHarness(provider, spillRoot);
        harness.Processor.EnsureStarted();
        return harness;
    }

    public static string NewSpillRoot() => Path.Combine(Path.GetTempPath(), "exai-spill-tests", Guid.NewGuid().ToString("N")[..12]);

    public static MessageRecord Message(string continuationId, string content, string role = "user", Guid? id = null, ExaiScope? scope = null)
    {
        scope ??= ExaiScope.Service;
        return new MessageRecord
        {
            Id = id ?? UuidV7.NewId(TimeProvider.System),
            RecordedAt = TimeProvider.System.GetUtcNow(),
            ScopeUserId = scope.UserId,
            ScopeClaims = scope.ClaimsJson,
            ContinuationId = continuationId,
            ThreadId = ThreadIds.For(continuationId),
            Role = role,
            Content = content,
        };
    }

    public static ConversationRecord Conversation(string continuationId, Guid? sessionId = null, string? title = null, ExaiScope? scope = null)
    {
        scope ??= ExaiScope.Service;
        return new ConversationRecord
        {
            Id = UuidV7.NewId(TimeProvider.System),
            RecordedAt = TimeProvider.System.GetUtcNow(),
            ScopeUserId = scope.UserId,
            ScopeClaims = scope.ClaimsJson,
            ContinuationId = continuationId,
            ThreadId = ThreadIds.For(continuationId),
            SessionId = sessionId,
            Title = title,
        };
    }

    public static SessionRecord Session(Guid id, string client = "test-client", ExaiScope? scope = null)
    {
        scope ??= ExaiScope.Service;
        return new SessionRecord
        {
            Id = id,
            RecordedAt = TimeProvider.System.GetUtcNow(),
            ScopeUserId = scope.UserId,
            ScopeClaims = scope.ClaimsJson,
            ClientName = client,
        };
    }

    /// <summary>Stops as a killed process would: nothing in memory is saved, the spill folder's lock is released.</summary>
    public async Task CrashAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        await Processor.AbandonAsync();
        await _provider.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _provider.DisposeAsync();
        }
    }
}

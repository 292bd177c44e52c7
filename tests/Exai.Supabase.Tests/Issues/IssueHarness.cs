using Exai.Supabase.Issues;
using Exai.Supabase.Issues.Internal;
using Exai.Supabase.Outbox;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Exai.Supabase.Tests.Issues;

/// <summary>The library wired for an issue test: a tracker, its outbox (own spill folder) and a fake clock.</summary>
internal sealed class IssueHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    private IssueHarness(ServiceProvider provider, FakeTimeProvider clock)
    {
        _provider = provider;
        Clock = clock;
        Tracker = provider.GetRequiredService<IIssueTracker>();
        Processor = provider.GetRequiredService<OutboxProcessor>();
        Pending = provider.GetRequiredService<PendingIssues>();
    }

    public IIssueTracker Tracker { get; }

    public OutboxProcessor Processor { get; }

    public IExaiOutbox Outbox => Processor;

    public PendingIssues Pending { get; }

    public FakeTimeProvider Clock { get; }

    public static IssueHarness Create(string connectionString, Action<OutboxOptions>? configure = null, DateTimeOffset? start = null)
    {
        var clock = new FakeTimeProvider(start ?? Start);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(TestLoggerProvider.Instance));
        services.AddSingleton<TimeProvider>(clock);
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = OutboxHarness.NewSpillRoot();
            o.Outbox.MaxBatchAge = TimeSpan.FromMilliseconds(20);
            o.Outbox.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.Outbox.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
            configure?.Invoke(o.Outbox);
        });
        var provider = services.BuildServiceProvider();
        var harness = new IssueHarness(provider, clock);
        harness.Processor.EnsureStarted();
        return harness;
    }

    /// <summary>Creates an issue and waits until it is saved.</summary>
    public async Task<Guid> SavedIssueAsync(IssueDraft draft)
    {
        var id = Tracker.CreateIssue(draft);
        await Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return id;
    }

    public async Task<Guid> SavedIssueAsync(string title = "An issue") => await SavedIssueAsync(new IssueDraft { Title = title });

    /// <summary>Moves an issue along allowed moves until it is in <paramref name="status"/>.</summary>
    public async Task WalkToAsync(Guid issueId, IssueStatus status)
    {
        foreach (var step in PathTo(status))
        {
            await Tracker.TransitionAsync(issueId, step);
        }
    }

    public static IssueStatus[] PathTo(IssueStatus status) => status switch
    {
        IssueStatus.Open => [],
        IssueStatus.InProgress => [IssueStatus.InProgress],
        IssueStatus.Fixed => [IssueStatus.InProgress, IssueStatus.Fixed],
        IssueStatus.Verified => [IssueStatus.InProgress, IssueStatus.Fixed, IssueStatus.Verified],
        IssueStatus.Closed => [IssueStatus.InProgress, IssueStatus.Fixed, IssueStatus.Verified, IssueStatus.Closed],
        IssueStatus.WontFix => [IssueStatus.WontFix],
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}

using System.Threading.Channels;
using Exai.Supabase.Realtime;
using Exai.Supabase.Realtime.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exai.Supabase.Tests.Realtime;

/// <summary>The library wired for one realtime test, with a slot name prefix of its own so its slots are findable.</summary>
internal sealed class RealtimeHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private RealtimeHarness(ServiceProvider provider, string prefix)
    {
        _provider = provider;
        Prefix = prefix;
        Feed = provider.GetRequiredService<IChangeFeed>();
    }

    public IChangeFeed Feed { get; }

    public IServiceProvider Services => _provider;

    /// <summary>The prefix of this harness's temporary slots.</summary>
    public string Prefix { get; }

    public static RealtimeHarness Create(string connectionString, Action<RealtimeOptions>? configure = null)
    {
        var prefix = $"t{Guid.NewGuid():N}"[..9] + "_";
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(TestLoggerProvider.Instance));
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = OutboxHarness.NewSpillRoot();
            o.Realtime.SlotNamePrefix = prefix;
            o.Realtime.ReconnectDelay = TimeSpan.FromMilliseconds(100);
            o.Realtime.MaxReconnectDelay = TimeSpan.FromSeconds(1);
            o.Realtime.StatusInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o.Realtime);
        });
        return new RealtimeHarness(services.BuildServiceProvider(), prefix);
    }

    public static string NewSlotName() => $"exai_test_{Guid.NewGuid():N}"[..26];

    /// <summary>Starts enumerating in the background; events land in the collector's queue.</summary>
    public Collector Start(ChangeFeedSubscription subscription) => new(Feed.SubscribeAsync(subscription));

    /// <summary>
    /// Waits until a slot (by exact name, or this harness's temporary prefix) is active and has reached its consistent
    /// point: a slot shows in pg_replication_slots while it is still being created (waiting for running transactions),
    /// and changes committed before that point are not decoded.
    /// </summary>
    public static Task WaitForActiveSlotAsync(NpgsqlDataSource db, string nameOrPrefix, bool prefix = true) =>
        Eventually.TrueAsync(
            async () =>
            {
                await using var command = db.CreateCommand(prefix
                    ? "SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE @p || '%' AND active AND confirmed_flush_lsn IS NOT NULL"
                    : "SELECT count(*) FROM pg_replication_slots WHERE slot_name = @p AND active AND confirmed_flush_lsn IS NOT NULL");
                command.Parameters.AddWithValue("p", nameOrPrefix);
                return (long)(await command.ExecuteScalarAsync())! > 0;
            },
            TimeSpan.FromSeconds(30),
            $"replication slot {nameOrPrefix} becoming active");

    public static async Task<long> SlotCountAsync(NpgsqlDataSource db, string prefix)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE @p || '%'");
        command.Parameters.AddWithValue("p", prefix);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    /// <summary>Runs one subscription in the background and queues what it yields.</summary>
    internal sealed class Collector : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Channel<ChangeEvent> _events = Channel.CreateUnbounded<ChangeEvent>();

        public Collector(IAsyncEnumerable<ChangeEvent> stream, Func<ChangeEvent, Task>? onEvent = null)
        {
            Run = Task.Run(async () =>
            {
                try
                {
                    await foreach (var change in stream.WithCancellation(_stop.Token))
                    {
                        if (onEvent is not null)
                        {
                            await onEvent(change);
                        }

                        _events.Writer.TryWrite(change);
                    }

                    _events.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    _events.Writer.TryComplete(ex);
                    throw;
                }
            });
        }

        public Task Run { get; }

        public async Task<ChangeEvent> NextAsync(TimeSpan? timeout = null)
        {
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
            return await _events.Reader.ReadAsync(deadline.Token);
        }

        public async Task<List<ChangeEvent>> TakeAsync(int count, TimeSpan? timeout = null)
        {
            var list = new List<ChangeEvent>();
            using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
            while (list.Count < count)
            {
                list.Add(await _events.Reader.ReadAsync(deadline.Token));
            }

            return list;
        }

        /// <summary>Whatever is queued now, without waiting.</summary>
        public List<ChangeEvent> Drain()
        {
            var list = new List<ChangeEvent>();
            while (_events.Reader.TryRead(out var change))
            {
                list.Add(change);
            }

            return list;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await Run;
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }
    }
}

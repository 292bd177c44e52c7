using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Exai.Supabase.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exai.Supabase.Benchmarks.Scenarios;

/// <summary>
/// Commit-to-event latency of the change feed: 2,000 single-row transactions on <c>messages</c> (inserts, then
/// updates, then deletes) at a steady rate (default 250 a second, <c>--rate N</c>), each timed from just before the
/// client sends its autocommit statement to the moment the feed's consumer receives the event. Baseline in the same run: a LISTEN/NOTIFY round trip (pg_notify committed the
/// same way, timed to the listener's receipt) — the cheapest cross-instance signal PostgreSQL has.
/// </summary>
internal sealed class RealtimeScenario : IScenario
{
    private const int Warmup = 200;
    private const int Inserts = 1_000;
    private const int Updates = 600;
    private const int Deletes = 400;
    private const int Notifies = 2_000;
    private const double TargetP99Ms = 100;

    public string Name => "realtime";

    public string Description => "change feed commit-to-event latency (p50/p99) vs a LISTEN/NOTIFY round trip";

    public async Task<JsonObject> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var rate = 250.0;
        var rateAt = Array.IndexOf(arguments, "--rate");
        if (rateAt >= 0 && rateAt + 1 < arguments.Length)
        {
            rate = double.Parse(arguments[rateAt + 1], System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var database = await BenchmarkDatabase.CreateAsync("exai_bench_realtime", cancellationToken);
        var conversation = Guid.NewGuid();
        await database.ExecuteAsync($"INSERT INTO conversations (id, continuation_id) VALUES ('{conversation}', 'bench-realtime')", cancellationToken);

        await using var provider = BuildServices(database.ConnectionString);
        var feed = provider.GetRequiredService<IChangeFeed>();
        var received = new ConcurrentDictionary<(ChangeKind, Guid), long>();
        var count = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = Task.Run(async () =>
        {
            await foreach (var change in feed.SubscribeAsync(new ChangeFeedSubscription("messages"), stop.Token))
            {
                var now = Stopwatch.GetTimestamp();
                var values = change.Kind == ChangeKind.Delete ? change.OldValues! : change.NewValues;
                received.TryAdd((change.Kind, (Guid)values["id"]!), now);
                Interlocked.Increment(ref count);
            }
        });

        // The slot exists once the feed streams: wait for it before writing (changes before it are not seen).
        while (await database.CountAsync("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'exai_tmp_%' AND active AND confirmed_flush_lsn IS NOT NULL", cancellationToken) == 0)
        {
            await Task.Delay(20, cancellationToken);
        }

        Progress.Say($"change feed streaming; warm-up {Warmup} inserts ...");
        var sent = new Dictionary<(ChangeKind, Guid), long>();
        var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using (connection)
        {
            var warm = new List<Guid>();
            for (var i = 0; i < Warmup; i++)
            {
                var id = Guid.NewGuid();
                warm.Add(id);
                await ExecuteAsync(connection, $"INSERT INTO messages (id, conversation_id, role, content) VALUES ('{id}', '{conversation}', 'user', 'warm-up')", cancellationToken);
            }

            await WaitForAsync(() => warm.All(id => received.ContainsKey((ChangeKind.Insert, id))), cancellationToken);
            received.Clear();

            Progress.Say($"measuring {Inserts} inserts, {Updates} updates, {Deletes} deletes, one transaction each, {rate:0}/s ...");
            var commits = new List<double>();
            var pace = new Pace(rate);
            var ids = new List<Guid>();
            for (var i = 0; i < Inserts; i++)
            {
                var id = Guid.NewGuid();
                ids.Add(id);
                await pace.NextAsync(cancellationToken);
                commits.Add(await TimedAsync(connection, sent, (ChangeKind.Insert, id),
                    $"INSERT INTO messages (id, conversation_id, role, content, input_tokens) VALUES ('{id}', '{conversation}', 'user', 'turn {i}', {i})", cancellationToken));
            }

            for (var i = 0; i < Updates; i++)
            {
                await pace.NextAsync(cancellationToken);
                commits.Add(await TimedAsync(connection, sent, (ChangeKind.Update, ids[i]),
                    $"UPDATE messages SET content = 'edited {i}' WHERE id = '{ids[i]}'", cancellationToken));
            }

            for (var i = 0; i < Deletes; i++)
            {
                var id = ids[Inserts - 1 - i];
                await pace.NextAsync(cancellationToken);
                commits.Add(await TimedAsync(connection, sent, (ChangeKind.Delete, id), $"DELETE FROM messages WHERE id = '{id}'", cancellationToken));
            }

            await WaitForAsync(() => sent.Keys.All(received.ContainsKey), cancellationToken);
            await stop.CancelAsync();
            try
            {
                await consumer;
            }
            catch (OperationCanceledException)
            {
            }

            var latencies = sent.Select(p => Milliseconds(received[p.Key] - p.Value)).Order().ToArray();
            var p50 = Percentiles.Of(latencies, 50);
            var p99 = Percentiles.Of(latencies, 99);
            var max = latencies[^1];
            Progress.Say($"change feed: {latencies.Length} events, commit-to-event p50 {p50:0.00} ms, p99 {p99:0.00} ms, max {max:0.00} ms");

            Progress.Say($"baseline: {Notifies} LISTEN/NOTIFY round trips ...");
            var (notifyP50, notifyP99) = await NotifyBaselineAsync(database, rate, cancellationToken);
            Progress.Say($"LISTEN/NOTIFY: p50 {notifyP50:0.00} ms, p99 {notifyP99:0.00} ms");

            return new JsonObject
            {
                ["scenario"] = Name,
                ["events"] = latencies.Length,
                ["rate_per_s"] = rate,
                ["event_p50_ms"] = Math.Round(p50, 3),
                ["event_p99_ms"] = Math.Round(p99, 3),
                ["event_max_ms"] = Math.Round(max, 3),
                ["commit_p50_ms"] = Math.Round(Percentiles.Median(commits), 3),
                ["notify_p50_ms"] = Math.Round(notifyP50, 3),
                ["notify_p99_ms"] = Math.Round(notifyP99, 3),
                ["p50_ratio_vs_notify"] = Math.Round(p50 / notifyP50, 2),
                ["p99_ratio_vs_notify"] = Math.Round(p99 / notifyP99, 2),
                ["target_p99_ms"] = TargetP99Ms,
                ["meets_target"] = p99 <= TargetP99Ms,
            };
        }
    }

    private static async Task<(double P50, double P99)> NotifyBaselineAsync(BenchmarkDatabase database, double rate, CancellationToken cancellationToken)
    {
        var arrivals = new ConcurrentDictionary<int, long>();
        var listener = new NpgsqlConnection(database.ConnectionString);
        await using (listener)
        {
            await listener.OpenAsync(cancellationToken);
            listener.Notification += (_, e) => arrivals.TryAdd(int.Parse(e.Payload, System.Globalization.CultureInfo.InvariantCulture), Stopwatch.GetTimestamp());
            await using (var listen = new NpgsqlCommand("LISTEN exai_bench", listener))
            {
                await listen.ExecuteNonQueryAsync(cancellationToken);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var waiter = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        await listener.WaitAsync(stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });

            var sent = new long[Notifies];
            var writer = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using (writer)
            {
                var pace = new Pace(rate);
                for (var i = 0; i < Notifies; i++)
                {
                    await pace.NextAsync(cancellationToken);
                    sent[i] = Stopwatch.GetTimestamp();
                    await using var notify = new NpgsqlCommand($"SELECT pg_notify('exai_bench', '{i}')", writer);
                    await notify.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await WaitForAsync(() => arrivals.Count == Notifies, cancellationToken);
            await stop.CancelAsync();
            await waiter;
            var latencies = Enumerable.Range(0, Notifies).Select(i => Milliseconds(arrivals[i] - sent[i])).Order().ToArray();
            return (Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99));
        }
    }

    private static async Task<double> TimedAsync(NpgsqlConnection connection, Dictionary<(ChangeKind, Guid), long> sent, (ChangeKind, Guid) key, string sql, CancellationToken cancellationToken)
    {
        var before = Stopwatch.GetTimestamp();
        sent[key] = before;
        await ExecuteAsync(connection, sql, cancellationToken);
        return Milliseconds(Stopwatch.GetTimestamp() - before);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new TimeoutException("events did not all arrive within 120 s");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Spaces operations evenly at a rate; never sends a burst to catch up by more than one.</summary>
    private sealed class Pace(double perSecond)
    {
        private readonly long _interval = (long)(Stopwatch.Frequency / perSecond);
        private long _next = Stopwatch.GetTimestamp();

        public async Task NextAsync(CancellationToken cancellationToken)
        {
            var now = Stopwatch.GetTimestamp();
            if (_next > now)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Milliseconds(_next - now)), cancellationToken);
            }

            _next = Math.Max(_next, now - _interval) + _interval;
        }
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static ServiceProvider BuildServices(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = Path.Combine(Path.GetTempPath(), "exai-bench-spill", Guid.NewGuid().ToString("N")[..8]);
        });
        return services.BuildServiceProvider();
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Exai.Supabase.Conversations;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Outbox.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace Exai.Supabase.Benchmarks.Scenarios;

/// <summary>
/// Conversation reads at 100 × the seed plan's scale: 100,000 threads × 20 turns bulk-loaded by binary COPY (not
/// through the public API), then, through <see cref="IConversationStore"/> on random threads: the last 50 turns
/// (p50/p99), get-or-create (p99) and append-then-read in the same process (p99); the last-50 read is measured first
/// at 1,000 threads as the baseline of the same run. The seed plan's bar was 100 ms for 1,000+ conversations.
/// </summary>
internal sealed class ConversationsScenario : IScenario
{
    private const int SmallThreads = 1_000;
    private const int Threads = 100_000;
    private const int MessagesPerThread = 20;
    private const int LoadChunk = 10_000;
    private const int Warmup = 1_000;
    private const int Reads = 5_000;
    private const int SeedBarMs = 100;

    public string Name => "conversations";

    public string Description => "last-50 / get-or-create / append-then-read latency at 100,000 threads x 20 turns vs 1,000";

    public async Task<JsonObject> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        await using var database = await BenchmarkDatabase.CreateAsync("exai_bench_conversations", cancellationToken);
        await using var provider = BuildServices(database.ConnectionString);
        provider.GetRequiredService<OutboxProcessor>().EnsureStarted();
        var store = provider.GetRequiredService<IConversationStore>();

        Progress.Say($"loading {SmallThreads} threads x {MessagesPerThread} turns by binary COPY ...");
        await LoadAsync(database, 0, SmallThreads, cancellationToken);
        var small = await LastFiftyAsync(store, SmallThreads, cancellationToken);
        Progress.Say($"1k threads: last-50 p50 {small.P50:0.000} ms, p99 {small.P99:0.000} ms");

        var watch = Stopwatch.StartNew();
        for (var start = SmallThreads; start < Threads; start += LoadChunk)
        {
            var count = Math.Min(LoadChunk, Threads - start);
            await LoadAsync(database, start, count, cancellationToken);
            Progress.Say($"loaded {start + count} threads ({(start + count - SmallThreads) * MessagesPerThread / watch.Elapsed.TotalSeconds:0} turns/s)");
        }

        await database.ExecuteAsync("ANALYZE conversations; ANALYZE messages", cancellationToken);
        var messages = await database.CountAsync("SELECT count(*) FROM messages", cancellationToken);
        Progress.Say($"{messages} turns in {Threads} threads");

        var large = await LastFiftyAsync(store, Threads, cancellationToken);
        Progress.Say($"100k threads: last-50 p50 {large.P50:0.000} ms, p99 {large.P99:0.000} ms (load average {MachineLoad.LoadAverage()})");
        var getOrCreate = await TimeAsync(Reads, async random =>
        {
            var thread = await store.GetOrCreateAsync(ContinuationId(random.Next(Threads)), cancellationToken: cancellationToken);
            Check(!thread.IsNew, "get-or-create of a loaded thread made a new one");
        });
        Progress.Say($"get-or-create p50 {getOrCreate.P50:0.000} ms, p99 {getOrCreate.P99:0.000} ms");
        var appendRead = await TimeAsync(Reads, async random =>
        {
            var continuationId = ContinuationId(random.Next(Threads));
            var id = store.Append(continuationId, ConversationTurn.User("a follow-up question appended by the benchmark"));
            var last = await store.GetLastAsync(continuationId, 50, cancellationToken);
            Check(last[^1].Id == id, "the appended turn was not read back");
        });
        Progress.Say($"append-then-read p50 {appendRead.P50:0.000} ms, p99 {appendRead.P99:0.000} ms");
        var (append, bare) = TimeAppends(store, provider.GetRequiredService<OutboxProcessor>());
        Progress.Say($"append alone (the caller's record latency) p50 {append.P50:0} ns, p99 {append.P99:0} ns; bare outbox record p50 {bare.P50:0} ns, p99 {bare.P99:0} ns");
        await provider.GetRequiredService<OutboxProcessor>().FlushAsync(cancellationToken);

        return new JsonObject
        {
            ["scenario"] = Name,
            ["threads"] = Threads,
            ["threads_baseline"] = SmallThreads,
            ["messages_per_thread"] = MessagesPerThread,
            ["messages"] = messages,
            ["samples"] = Reads,
            ["seed_bar_ms"] = SeedBarMs,
            ["last50_p50_ms_100k"] = Round(large.P50),
            ["last50_p99_ms_100k"] = Round(large.P99),
            ["last50_p50_ms_1k"] = Round(small.P50),
            ["last50_p99_ms_1k"] = Round(small.P99),
            ["get_or_create_p50_ms"] = Round(getOrCreate.P50),
            ["get_or_create_p99_ms"] = Round(getOrCreate.P99),
            ["append_read_p50_ms"] = Round(appendRead.P50),
            ["append_read_p99_ms"] = Round(appendRead.P99),
            ["append_p50_ns"] = Math.Round(append.P50),
            ["append_p99_ns"] = Math.Round(append.P99),
            ["outbox_record_p50_ns"] = Math.Round(bare.P50),
            ["outbox_record_p99_ns"] = Math.Round(bare.P99),
            ["append_vs_outbox_record_p50"] = Round(append.P50 / bare.P50),
            ["last50_p99_100k_vs_1k"] = Round(large.P99 / small.P99),
            ["last50_p99_100k_vs_seed_bar"] = Math.Round(large.P99 / SeedBarMs, 5),
            ["append_read_p99_vs_seed_bar"] = Math.Round(appendRead.P99 / SeedBarMs, 5),
            ["targets_met"] = large.P99 <= 2 && large.P99 <= 1.5 * small.P99 && getOrCreate.P99 <= 2 && appendRead.P99 <= 5,
        };
    }

    private static string ContinuationId(int thread) => $"bench-{thread:D6}";

    private static double Round(double value) => Math.Round(value, 3);

    private static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }

    private static ServiceProvider BuildServices(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = Path.Combine(Path.GetTempPath(), "exai-bench-spill", Guid.NewGuid().ToString("N")[..8]);
            o.Conversations.EnableCleanup = false;
        });
        return services.BuildServiceProvider();
    }

    private static Task<(double P50, double P99)> LastFiftyAsync(IConversationStore store, int threads, CancellationToken cancellationToken) =>
        TimeAsync(Reads, async random =>
        {
            var last = await store.GetLastAsync(ContinuationId(random.Next(threads)), 50, cancellationToken);
            Check(last.Count >= MessagesPerThread, "a loaded thread came back short");
        });

    /// <summary>Runs <paramref name="operation"/> after a warm-up, one call at a time, each timed on its own (milliseconds).</summary>
    private static async Task<(double P50, double P99)> TimeAsync(int samples, Func<Random, Task> operation)
    {
        var random = new Random(42);
        for (var i = 0; i < Warmup; i++)
        {
            await operation(random);
        }

        var latencies = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var before = Stopwatch.GetTimestamp();
            await operation(random);
            latencies[i] = Stopwatch.GetElapsedTime(before).TotalMilliseconds;
        }

        Array.Sort(latencies);
        return (Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99));
    }

    /// <summary>
    /// The caller's side of an append with 400-byte turns (validate, build the record, track it for read-your-writes,
    /// hand it to the outbox), against the bare outbox path of the outbox scenario (validate the content, build the
    /// record, record it) in alternating blocks, so both see the same machine.
    /// </summary>
    private static ((double P50, double P99) Append, (double P50, double P99) Bare) TimeAppends(IConversationStore store, OutboxProcessor outbox)
    {
        const int blocks = 10;
        const int perBlock = 5_000;
        var content = new string('m', 400);
        var ids = Enumerable.Range(0, SmallThreads).Select(ContinuationId).ToArray();
        var threadIds = ids.Select(ThreadIds.For).ToArray();
        var appends = new double[blocks * perBlock];
        var bare = new double[blocks * perBlock];
        var nanosPerTick = 1e9 / Stopwatch.Frequency;
        for (var block = 0; block < blocks; block++)
        {
            for (var i = 0; i < perBlock; i++)
            {
                var n = (block * perBlock) + i;
                var turn = new ConversationTurn { Role = ConversationRoles.User, Content = content };
                var before = Stopwatch.GetTimestamp();
                store.Append(ids[n % ids.Length], turn);
                appends[n] = (Stopwatch.GetTimestamp() - before) * nanosPerTick;
            }

            for (var i = 0; i < perBlock; i++)
            {
                var n = (block * perBlock) + i;
                var before = Stopwatch.GetTimestamp();
                Exai.Supabase.Persistence.Internal.InputGuard.Text(content, "content", Exai.Supabase.Persistence.Internal.Limits.ContentLength);
                var now = TimeProvider.System.GetUtcNow();
                outbox.Record(new MessageRecord
                {
                    Id = Exai.Supabase.Persistence.Internal.UuidV7.NewId(now.ToUnixTimeMilliseconds()),
                    RecordedAt = now,
                    ContinuationId = ids[n % ids.Length],
                    ThreadId = threadIds[n % ids.Length],
                    Role = "user",
                    Content = content,
                });
                bare[n] = (Stopwatch.GetTimestamp() - before) * nanosPerTick;
            }
        }

        Array.Sort(appends);
        Array.Sort(bare);
        return ((Percentiles.Of(appends, 50), Percentiles.Of(appends, 99)), (Percentiles.Of(bare, 50), Percentiles.Of(bare, 99)));
    }

    /// <summary>Threads [start, start + count) with their turns, by binary COPY straight into the tables.</summary>
    private static async Task LoadAsync(BenchmarkDatabase database, int start, int count, CancellationToken cancellationToken)
    {
        var origin = DateTimeOffset.UtcNow.AddDays(-1);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using (var threads = await connection.BeginBinaryImportAsync(
            "COPY conversations (id, continuation_id, created_at, last_activity_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = start; i < start + count; i++)
            {
                var continuationId = ContinuationId(i);
                await threads.StartRowAsync(cancellationToken);
                await threads.WriteAsync(ThreadIds.For(continuationId), NpgsqlDbType.Uuid, cancellationToken);
                await threads.WriteAsync(continuationId, NpgsqlDbType.Text, cancellationToken);
                await threads.WriteAsync(origin, NpgsqlDbType.TimestampTz, cancellationToken);
                await threads.WriteAsync(origin.AddSeconds(MessagesPerThread), NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await threads.CompleteAsync(cancellationToken);
        }

        await using (var turns = await connection.BeginBinaryImportAsync(
            "COPY messages (id, conversation_id, role, content, token_count, metadata, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = start; i < start + count; i++)
            {
                var threadId = ThreadIds.For(ContinuationId(i));
                for (var k = 0; k < MessagesPerThread; k++)
                {
                    var at = origin.AddSeconds(k);
                    await turns.StartRowAsync(cancellationToken);
                    await turns.WriteAsync(Exai.Supabase.Persistence.Internal.UuidV7.NewId(at.ToUnixTimeMilliseconds()), NpgsqlDbType.Uuid, cancellationToken);
                    await turns.WriteAsync(threadId, NpgsqlDbType.Uuid, cancellationToken);
                    await turns.WriteAsync(k % 2 == 0 ? "user" : "assistant", NpgsqlDbType.Text, cancellationToken);
                    await turns.WriteAsync($"Turn {k} of thread {i}: " + new string('t', 160 + (k * 7 % 80)), NpgsqlDbType.Text, cancellationToken);
                    await turns.WriteAsync(60, NpgsqlDbType.Integer, cancellationToken);
                    await turns.WriteAsync("{}", NpgsqlDbType.Jsonb, cancellationToken);
                    await turns.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
                }
            }

            await turns.CompleteAsync(cancellationToken);
        }

        await database.ExecuteAsync("ANALYZE conversations; ANALYZE messages", cancellationToken);
    }
}

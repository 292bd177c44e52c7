using System.Diagnostics;
using System.Text.Json.Nodes;
using Exai.Supabase.Conversations;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Outbox;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace Exai.Supabase.Benchmarks.Scenarios;

/// <summary>
/// The outbox with 400-byte messages over 1,000 threads into the real <c>messages</c> table: the caller's record
/// latency at a steady 20,000 records/s while the drain runs; drain throughput for 200,000 records; raw binary COPY
/// of the same rows (the machine's limit); one EF Core SaveChanges per message (the naive way).
/// </summary>
internal sealed class OutboxScenario : IScenario
{
    private const int Threads = 1_000;
    private const int SteadyRate = 20_000;
    private const int DrainRecords = 200_000;
    private static readonly TimeSpan SteadyDuration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan NaiveDuration = TimeSpan.FromSeconds(5);
    private static readonly string Content = new('m', 400);
    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;

    public string Name => "outbox";

    public string Description => "record latency at 20k/s, drain vs raw COPY vs one SaveChanges per message";

    public async Task<JsonObject> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        await using var database = await BenchmarkDatabase.CreateAsync("exai_bench_outbox", cancellationToken);
        var continuationIds = Enumerable.Range(0, Threads).Select(i => $"bench-thread-{i:D4}").ToArray();
        var threadIds = continuationIds.Select(ThreadIds.For).ToArray();
        await database.ExecuteAsync(
            $"INSERT INTO conversations (id, continuation_id) SELECT id, cid FROM unnest(ARRAY[{string.Join(",", threadIds.Select(t => $"'{t}'::uuid"))}], ARRAY[{string.Join(",", continuationIds.Select(c => $"'{c}'"))}]) AS t(id, cid)",
            cancellationToken);

        await using var provider = BuildServices(database.ConnectionString);
        var outbox = provider.GetRequiredService<OutboxProcessor>();
        outbox.EnsureStarted();

        var store = provider.GetRequiredService<IConversationStore>();
        var turn = ConversationTurn.User(Content);
        var timer = TimerOverhead();
        // Warm-up at the same rate on other threads: the measured phase sees the steady state, not tiered-up JIT.
        Progress.Say("warming up for 3 s ...");
        TimeSteadily(i => store.Append($"warm-up-{i % Threads}", turn), TimeSpan.FromSeconds(3));
        await outbox.FlushAsync(cancellationToken);
        Progress.Say($"steady appends (IConversationStore.Append) at {SteadyRate}/s for {SteadyDuration.TotalSeconds} s ...");
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var allocatedEverywhereBefore = GC.GetTotalAllocatedBytes();
        var faultsBefore = MinorFaults();
        var latencies = TimeSteadily(i => store.Append(continuationIds[i % Threads], turn));
        var faults = faultsBefore < 0 ? -1 : MinorFaults() - faultsBefore;
        var bytesPerAppend = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)latencies.Length;
        var bytesPerAppendEverywhere = (GC.GetTotalAllocatedBytes() - allocatedEverywhereBefore) / (double)latencies.Length;
        Progress.Say($"GC during appends: gen0 {GC.CollectionCount(0) - gcBefore.Item1}, gen1 {GC.CollectionCount(1) - gcBefore.Item2}, gen2 {GC.CollectionCount(2) - gcBefore.Item3}, paused {(GC.GetTotalPauseDuration() - gcBefore.Item4).TotalMilliseconds:0} ms");
        await outbox.FlushAsync(cancellationToken);
        var p50 = Percentiles.Of(latencies, 50);
        var p99 = Percentiles.Of(latencies, 99);
        var p999 = Percentiles.Of(latencies, 99.9);
        Progress.Say($"append latency p50 {p50:0} ns, p99 {p99:0} ns, p99.9 {p999:0} ns over {latencies.Length} calls (timer overhead {timer:0} ns, included); {bytesPerAppend:0} bytes allocated per call by the caller, {bytesPerAppendEverywhere:0} by all threads (drain included); {faults} minor page faults in the process");

        // The bare outbox record path, same rate and conditions: what the store adds on top of it.
        await database.ExecuteAsync("TRUNCATE messages", cancellationToken);
        var bare = TimeSteadily(i => outbox.Record(NewRecord(continuationIds[i % Threads], threadIds[i % Threads])), SteadyDuration / 2);
        await outbox.FlushAsync(cancellationToken);
        var bareP50 = Percentiles.Of(bare, 50);
        Progress.Say($"bare outbox record path p50 {bareP50:0} ns, p99.9 {Percentiles.Of(bare, 99.9):0} ns");

        // Where an append's time goes: its steps timed one by one, same rate and conditions.
        await database.ExecuteAsync("TRUNCATE messages", cancellationToken);
        var parts = TimeParts((ConversationStore)store, outbox, provider.GetRequiredService<PendingTurns>(), continuationIds, SteadyDuration / 2);
        await outbox.FlushAsync(cancellationToken);
        Progress.Say("append steps p50 / p99.9: " + string.Join(", ", parts.Select(p => $"{p.Key} {p.Value.P50:0} / {p.Value.P999:0} ns")));

        await database.ExecuteAsync("TRUNCATE messages", cancellationToken);
        Progress.Say($"drain: {DrainRecords} records recorded at once ...");
        var drainWatch = Stopwatch.StartNew();
        for (var i = 0; i < DrainRecords; i++)
        {
            outbox.Record(NewRecord(continuationIds[i % Threads], threadIds[i % Threads]));
        }

        await outbox.FlushAsync(cancellationToken);
        drainWatch.Stop();
        var drained = await database.CountAsync("SELECT count(*) FROM messages", cancellationToken);
        var drainRate = drained / drainWatch.Elapsed.TotalSeconds;
        Progress.Say($"drain: {drained} rows in {drainWatch.Elapsed.TotalSeconds:0.00} s = {drainRate:0} rows/s");

        await database.ExecuteAsync("TRUNCATE messages", cancellationToken);
        Progress.Say($"raw COPY: {DrainRecords} rows straight into messages ...");
        var copyRate = await RawCopyAsync(database, threadIds, cancellationToken);
        Progress.Say($"raw COPY: {copyRate:0} rows/s");

        await database.ExecuteAsync("TRUNCATE messages", cancellationToken);
        Progress.Say($"naive: one EF Core SaveChanges per message for {NaiveDuration.TotalSeconds} s ...");
        var naiveRate = await NaiveAsync(provider, threadIds, cancellationToken);
        Progress.Say($"naive: {naiveRate:0} rows/s");

        return new JsonObject
        {
            ["scenario"] = Name,
            ["message_bytes"] = Content.Length,
            ["threads"] = Threads,
            ["record_rate_per_s"] = SteadyRate,
            ["record_calls"] = latencies.Length,
            ["record_p50_ns"] = Math.Round(p50),
            ["record_p99_ns"] = Math.Round(p99),
            ["record_p999_ns"] = Math.Round(p999),
            ["record_api"] = "IConversationStore.Append",
            ["record_bytes_per_call"] = Math.Round(bytesPerAppend),
            ["record_bytes_per_call_all_threads"] = Math.Round(bytesPerAppendEverywhere),
            ["record_minor_faults"] = faults,
            ["timer_overhead_ns"] = Math.Round(timer),
            ["bare_outbox_record_p50_ns"] = Math.Round(bareP50),
            ["append_steps_p50_ns"] = new JsonObject(parts.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Math.Round(p.Value.P50)))),
            ["append_steps_p999_ns"] = new JsonObject(parts.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Math.Round(p.Value.P999)))),
            ["drain_rows"] = drained,
            ["drain_rows_per_s"] = Math.Round(drainRate),
            ["copy_rows_per_s"] = Math.Round(copyRate),
            ["naive_rows_per_s"] = Math.Round(naiveRate),
            ["drain_vs_copy"] = Math.Round(drainRate / copyRate, 3),
            ["drain_vs_naive"] = Math.Round(drainRate / naiveRate, 1),
            ["dead_lettered"] = outbox.GetStatistics().DeadLettered,
        };
    }

    private static ServiceProvider BuildServices(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning));
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = Path.Combine(Path.GetTempPath(), "exai-bench-spill", Guid.NewGuid().ToString("N")[..8]);
            o.Outbox.MaxQueuedRecords = 400_000;
            o.Outbox.MaxQueuedBytes = 1024L * 1024 * 1024;
        });
        return services.BuildServiceProvider();
    }

    /// <summary>The caller's side of appending a turn: validate, build the record, hand it to the outbox.</summary>
    private static MessageRecord NewRecord(string continuationId, Guid threadId)
    {
        InputGuard.Text(Content, "content", Limits.ContentLength);
        var now = TimeProvider.System.GetUtcNow();
        return new MessageRecord
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            RecordedAt = now,
            ContinuationId = continuationId,
            ThreadId = threadId,
            Role = "user",
            Content = Content,
        };
    }

    /// <summary>
    /// The process's minor page faults so far (Linux; -1 elsewhere): each first touch of fresh memory is one, and on a
    /// VM each costs several µs, which is what an append's allocation used to pay about once in thirty calls.
    /// </summary>
    private static long MinorFaults()
    {
        const string Stat = "/proc/self/stat";
        if (!File.Exists(Stat))
        {
            return -1;
        }

        // Field 10 (minflt), counted after the parenthesised command name, which may contain spaces.
        var afterName = File.ReadAllText(Stat).Split(')')[^1];
        return long.Parse(afterName.Split(' ', StringSplitOptions.RemoveEmptyEntries)[7], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>One thread calls at a fixed rate; each call is timed on its own. Returns sorted latencies in ns.</summary>
    private static double[] TimeSteadily(Action<int> call, TimeSpan? duration = null)
    {
        var latencies = new double[CallsIn(duration ?? SteadyDuration)];
        Pace(latencies.Length, i =>
        {
            var before = Stopwatch.GetTimestamp();
            call(i);
            latencies[i] = (Stopwatch.GetTimestamp() - before) * NanosPerTick;
        });
        Array.Sort(latencies);
        return latencies;
    }

    /// <summary>Calls <paramref name="call"/> <paramref name="count"/> times from one thread at <see cref="SteadyRate"/>.</summary>
    private static void Pace(int count, Action<int> call)
    {
        var interval = Stopwatch.Frequency / (double)SteadyRate;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.SpinWait(8);
            }

            call(i);
        }
    }

    private static int CallsIn(TimeSpan duration) => (int)(SteadyRate * duration.TotalSeconds);

    /// <summary>
    /// The steps of <see cref="IConversationStore.Append"/>, each timed on its own at the steady rate through the
    /// store's own methods: checking the id and reading the scope and clock; checking the turn and filling its record
    /// (content check, id, a blank); tracking it for read-your-writes; handing it to the outbox; warming the next blank.
    /// </summary>
    private static Dictionary<string, (double P50, double P999)> TimeParts(ConversationStore store, OutboxProcessor outbox, PendingTurns pending, string[] continuationIds, TimeSpan duration)
    {
        var names = new[] { "check_scope_clock", "build", "track", "record", "warm" };
        var turn = ConversationTurn.User(Content);
        var samples = names.Select(_ => new double[CallsIn(duration)]).ToArray();
        Pace(samples[0].Length, i =>
        {
            var continuationId = continuationIds[i % Threads];
            var t0 = Stopwatch.GetTimestamp();
            ContinuationIds.Validate(continuationId, "continuationId");
            var scope = ExaiScope.Current;
            var now = store.Now();
            var t1 = Stopwatch.GetTimestamp();
            var record = store.BuildMessage(continuationId, turn, scope, now);
            var t2 = Stopwatch.GetTimestamp();
            pending.Track(record);
            var t3 = Stopwatch.GetTimestamp();
            outbox.Record(record);
            var t4 = Stopwatch.GetTimestamp();
            store.WarmNextBlank();
            var t5 = Stopwatch.GetTimestamp();
            samples[0][i] = (t1 - t0) * NanosPerTick;
            samples[1][i] = (t2 - t1) * NanosPerTick;
            samples[2][i] = (t3 - t2) * NanosPerTick;
            samples[3][i] = (t4 - t3) * NanosPerTick;
            samples[4][i] = (t5 - t4) * NanosPerTick;
        });

        var parts = new Dictionary<string, (double, double)>();
        for (var k = 0; k < names.Length; k++)
        {
            Array.Sort(samples[k]);
            parts[names[k]] = (Percentiles.Of(samples[k], 50), Percentiles.Of(samples[k], 99.9));
        }

        return parts;
    }

    /// <summary>The median cost of timing nothing (two clock reads), measured the same way, for reading the figures.</summary>
    private static double TimerOverhead()
    {
        var samples = new double[100_000];
        for (var i = 0; i < samples.Length; i++)
        {
            var before = Stopwatch.GetTimestamp();
            samples[i] = (Stopwatch.GetTimestamp() - before) * NanosPerTick;
        }

        Array.Sort(samples);
        return Percentiles.Of(samples, 50);
    }

    private static async Task<double> RawCopyAsync(BenchmarkDatabase database, Guid[] threadIds, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
        {
            await using var importer = await connection.BeginBinaryImportAsync(
                "COPY messages (id, conversation_id, role, content, metadata, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
            for (var i = 0; i < DrainRecords; i++)
            {
                await importer.StartRowAsync(cancellationToken);
                importer.Write(UuidV7.NewId(TimeProvider.System), NpgsqlDbType.Uuid);
                importer.Write(threadIds[i % Threads], NpgsqlDbType.Uuid);
                importer.Write("user", NpgsqlDbType.Text);
                importer.Write(Content, NpgsqlDbType.Text);
                importer.Write("{}", NpgsqlDbType.Jsonb);
                importer.Write(now, NpgsqlDbType.TimestampTz);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        watch.Stop();
        return DrainRecords / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> NaiveAsync(ServiceProvider provider, Guid[] threadIds, CancellationToken cancellationToken)
    {
        var factory = provider.GetRequiredService<IDbContextFactory<ExaiDbContext>>();
        var watch = Stopwatch.StartNew();
        var rows = 0;
        while (watch.Elapsed < NaiveDuration)
        {
            await using var context = await factory.CreateDbContextAsync(cancellationToken);
            context.Messages.Add(new MessageRow
            {
                Id = UuidV7.NewId(TimeProvider.System),
                ConversationId = threadIds[rows % Threads],
                Role = "user",
                Content = Content,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await context.SaveChangesAsync(cancellationToken);
            rows++;
        }

        watch.Stop();
        return rows / watch.Elapsed.TotalSeconds;
    }
}

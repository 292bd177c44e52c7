using System.Diagnostics;
using System.Text.Json.Nodes;
using Exai.Supabase.Issues;
using Exai.Supabase.Issues.Internal;
using Exai.Supabase.Outbox.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exai.Supabase.Benchmarks.Scenarios;

/// <summary>
/// The issue tracker on a table of 50,000 issues: the caller's cost of <c>CreateIssue</c> (outbox) against one
/// transactional insert of an issue with its created entry (the naive way); status moves; a keyset page deep in the
/// list against the same page by OFFSET; filtered first pages; counts per status against one GROUP BY.
/// </summary>
internal sealed class IssuesScenario : IScenario
{
    private const int Seeded = 50_000;
    private const int Creates = 20_000;
    private const int DirectInserts = 2_000;
    private const int Repeats = 200;
    private const int Depth = 25_000;

    public string Name => "issues";

    public string Description => "CreateIssue vs a direct insert; keyset vs OFFSET at depth 25k; counts; status moves";

    public async Task<JsonObject> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        await using var database = await BenchmarkDatabase.CreateAsync("exai_bench_issues", cancellationToken);
        Progress.Say($"seeding {Seeded} issues ...");
        await database.ExecuteAsync($"""
            INSERT INTO issues (id, title, description, severity, priority, status, category, components, created_at, updated_at)
            SELECT gen_random_uuid(),
                   'Issue ' || g || CASE WHEN g % 997 = 0 THEN ' rate limit exceeded' ELSE ' routine work' END,
                   CASE WHEN g % 5 = 0 THEN 'calls hang until the timeout' END,
                   (ARRAY['critical', 'high', 'medium', 'low'])[1 + g % 4],
                   (ARRAY['p0', 'p1', 'p2', 'p3'])[1 + (g / 4) % 4],
                   (ARRAY['open', 'in_progress', 'fixed', 'verified', 'closed', 'wont_fix'])[1 + g % 6],
                   'category-' || (g % 40), ARRAY['component-' || (g % 50), 'area-' || (g % 7)],
                   timestamptz '2026-01-01' + g * interval '1 minute', timestamptz '2026-01-01' + g * interval '1 minute'
            FROM generate_series(1, {Seeded}) AS g
            """, cancellationToken);
        await database.ExecuteAsync("""
            INSERT INTO issue_updates (issue_id, kind, continuation_id, created_at)
            SELECT id, 'conversation_link', 'conversation-' || (row_number() OVER (ORDER BY created_at)) % 5000, created_at FROM issues
            """, cancellationToken);
        await database.ExecuteAsync("VACUUM ANALYZE issues", cancellationToken);
        await database.ExecuteAsync("VACUUM ANALYZE issue_updates", cancellationToken);

        await using var provider = BuildServices(database.ConnectionString);
        var tracker = provider.GetRequiredService<IIssueTracker>();
        var outbox = provider.GetRequiredService<OutboxProcessor>();
        outbox.EnsureStarted();

        Progress.Say("pages ...");
        var (cursor, offsetSql) = await DeepCursorAsync(database, cancellationToken);
        var keysetUs = await TimeAsync(Repeats, _ => tracker.ListAsync(pageSize: 50, cursor: cursor));
        var offsetUs = await TimeAsync(Repeats, async _ =>
        {
            await using var command = database.DataSource.CreateCommand(offsetSql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
            }
        });
        var firstPageUs = await TimeAsync(Repeats, _ => tracker.ListAsync(pageSize: 50));
        var severityUs = await TimeAsync(Repeats, _ => tracker.ListAsync(new IssueFilter { Severity = IssueSeverity.Critical, Status = IssueStatus.Open }, 50));
        var componentUs = await TimeAsync(Repeats, _ => tracker.ListAsync(new IssueFilter { Component = "component-13" }, 50));
        var textUs = await TimeAsync(Repeats, _ => tracker.ListAsync(new IssueFilter { Text = "\"rate limit\"" }, 50));
        var countsUs = await TimeAsync(Repeats, _ => tracker.CountByStatusAsync());
        var groupByUs = await TimeAsync(Repeats, async _ =>
        {
            await using var command = database.DataSource.CreateCommand("SELECT status, count(*) FROM issues GROUP BY status");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
            }
        });
        Progress.Say($"keyset page at depth {Depth}: {keysetUs:0} µs vs OFFSET {offsetUs:0} µs; counts {countsUs:0} µs vs GROUP BY {groupByUs:0} µs");

        Progress.Say($"CreateIssue: {Creates} calls, each timed ...");
        var createNs = new double[Creates];
        var nanosPerTick = 1e9 / Stopwatch.Frequency;
        var created = new Guid[Creates];
        var landing = Stopwatch.StartNew();
        for (var i = 0; i < Creates; i++)
        {
            var before = Stopwatch.GetTimestamp();
            created[i] = tracker.CreateIssue(new IssueDraft
            {
                Title = $"Benchmark issue {i}",
                Severity = IssueSeverity.High,
                Components = ["bench"],
                Conversations = [$"bench-conversation-{i % 100}"],
                Checklist = ["reproduce", "fix", "verify"],
            });
            createNs[i] = (Stopwatch.GetTimestamp() - before) * nanosPerTick;
        }

        await outbox.FlushAsync(cancellationToken);
        landing.Stop();
        Array.Sort(createNs);
        var landedPerSecond = Creates / landing.Elapsed.TotalSeconds;
        Progress.Say($"CreateIssue p50 {Percentiles.Of(createNs, 50):0} ns, p99 {Percentiles.Of(createNs, 99):0} ns; {landedPerSecond:0} issues/s landed with 5 child rows each");

        Progress.Say($"direct: {DirectInserts} transactional inserts of an issue and its created entry ...");
        var directUs = await DirectInsertsAsync(database, cancellationToken);
        Progress.Say($"direct insert median {directUs:0} µs");

        Progress.Say("status moves ...");
        var moveUs = await TimeAsync(Repeats, i => tracker.TransitionAsync(created[i], IssueStatus.InProgress));

        return new JsonObject
        {
            ["scenario"] = Name,
            ["seeded_issues"] = Seeded,
            ["create_calls"] = Creates,
            ["create_p50_ns"] = Math.Round(Percentiles.Of(createNs, 50)),
            ["create_p99_ns"] = Math.Round(Percentiles.Of(createNs, 99)),
            ["direct_insert_median_us"] = Math.Round(directUs),
            ["direct_vs_create_p50"] = Math.Round(directUs * 1000 / Percentiles.Of(createNs, 50)),
            ["landed_issues_per_s"] = Math.Round(landedPerSecond),
            ["transition_median_us"] = Math.Round(moveUs),
            ["first_page_median_us"] = Math.Round(firstPageUs),
            ["keyset_page_at_25k_median_us"] = Math.Round(keysetUs),
            ["offset_page_at_25k_median_us"] = Math.Round(offsetUs),
            ["offset_vs_keyset"] = Math.Round(offsetUs / keysetUs, 1),
            ["filtered_severity_status_median_us"] = Math.Round(severityUs),
            ["filtered_component_median_us"] = Math.Round(componentUs),
            ["filtered_text_median_us"] = Math.Round(textUs),
            ["counts_median_us"] = Math.Round(countsUs),
            ["group_by_median_us"] = Math.Round(groupByUs),
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
        });
        return services.BuildServiceProvider();
    }

    /// <summary>The naive way a tool would record an issue: one transaction per issue, the caller waiting for it.</summary>
    private static async Task<double> DirectInsertsAsync(BenchmarkDatabase database, CancellationToken cancellationToken)
    {
        var samples = new double[DirectInserts];
        for (var i = 0; i < DirectInserts; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await using var command = new NpgsqlCommand(
                    """
                    WITH issue AS (INSERT INTO issues (title, severity, priority) VALUES (@title, 'high', 'p1') RETURNING id)
                    INSERT INTO issue_updates (issue_id, kind) SELECT id, 'created' FROM issue
                    """,
                    connection,
                    transaction);
                command.Parameters.AddWithValue("title", $"Direct issue {i}");
                await command.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }

            samples[i] = watch.Elapsed.TotalMicroseconds;
        }

        return Percentiles.Median(samples);
    }

    /// <summary>The cursor of the row at depth <see cref="Depth"/>, and the OFFSET query that reads the same page.</summary>
    private static async Task<(string Cursor, string OffsetSql)> DeepCursorAsync(BenchmarkDatabase database, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT created_at, id FROM issues ORDER BY created_at DESC, id DESC OFFSET {Depth - 1} LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var cursor = IssueCursor.Encode(reader.GetFieldValue<DateTimeOffset>(0), reader.GetGuid(1));
        return (cursor, $"SELECT {IssueSql.IssueColumns} FROM {IssueSql.IssuesTable} i ORDER BY i.created_at DESC, i.id DESC OFFSET {Depth} LIMIT 50");
    }

    /// <summary>The median in microseconds of <paramref name="count"/> sequential runs (after 10 warm-up runs).</summary>
    private static async Task<double> TimeAsync(int count, Func<int, Task> run)
    {
        for (var i = 0; i < 10; i++)
        {
            await run(count + i);
        }

        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await run(i);
            samples[i] = watch.Elapsed.TotalMicroseconds;
        }

        return Percentiles.Median(samples);
    }
}

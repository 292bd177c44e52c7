using System.Diagnostics;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Exai.Supabase.Prompts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Benchmarks.Scenarios;

/// <summary>
/// Prompt lookups: the warm lookup (BenchmarkDotNet, memory diagnoser); the same lookup with the library's cache
/// disabled (one query per call, the baseline); and how long a change made on one host takes to be served by a second,
/// independently wired host on the same database (LISTEN/NOTIFY, then a refresh off the callers' path).
/// </summary>
internal sealed class PromptsScenario : IScenario
{
    private const string Tool = "codereview";
    private const string Provider = "kimi";
    private const int DbLookups = 3_000;
    private const int Changes = 60;
    private static readonly string[] Tools = ["debug", "analyze", "codereview", "chat", "thinkdeep", "planner", "consensus", "refactor", "testgen", "secaudit"];
    private static readonly string[] Providers = ["kimi", "glm", PromptProviders.Base];

    public string Name => "prompts";

    public string Description => "warm lookup (BenchmarkDotNet) vs one query per lookup; cross-host propagation over 60 changes";

    public async Task<JsonObject> RunAsync(string[] arguments, CancellationToken cancellationToken)
    {
        await using var database = await BenchmarkDatabase.CreateAsync("exai_bench_prompts", cancellationToken);
        using var hostA = BuildHost(database.ConnectionString, cacheEnabled: true);
        using var hostB = BuildHost(database.ConnectionString, cacheEnabled: true);
        using var uncached = BuildHost(database.ConnectionString, cacheEnabled: false);
        await hostA.StartAsync(cancellationToken);
        await hostB.StartAsync(cancellationToken);
        await uncached.StartAsync(cancellationToken);
        var managerA = hostA.Services.GetRequiredService<IPromptManager>();
        var resolverB = hostB.Services.GetRequiredService<IPromptResolver>();
        var resolverUncached = uncached.Services.GetRequiredService<IPromptResolver>();

        Progress.Say($"seeding {Tools.Length * Providers.Length} prompts of ~4 KB ...");
        var seed = Tools.SelectMany(t => Providers.Select(p => new NewPromptVersion
        {
            Tool = t,
            Provider = p,
            Content = $"You are the {t} tool working with {p}. " + new string('x', 4_000),
            Version = "v1",
        }));
        await managerA.ImportAsync(seed, PromptImportActivation.Always, "benchmark", cancellationToken);
        await managerA.StoreVersionAsync(new NewPromptVersion { Tool = Tool, Provider = Provider, Content = "The second codereview prompt.", Version = "v2" }, cancellationToken);
        await WaitForAsync(resolverB, "v1", TimeSpan.FromSeconds(30), cancellationToken);

        Progress.Say("warm lookup: BenchmarkDotNet (in-process, memory diagnoser) ...");
        var load = MachineLoad.LoadAverage();
        var (warmNs, warmMinNs, warmBytes) = RunBenchmarkDotNet(resolverB);
        Progress.Say($"warm lookup: {warmNs:0.0} ns median ({warmMinNs:0.0} ns fastest iteration), {warmBytes} B allocated per lookup; load average {load}");

        Progress.Say($"uncached lookup: {DbLookups} lookups, one query each ...");
        var dbNs = await MeasureUncachedAsync(resolverUncached, cancellationToken);
        Progress.Say($"uncached lookup: {dbNs / 1000:0.0} µs median ({dbNs / warmNs:0} x the warm lookup)");

        Progress.Say($"propagation: {Changes} activations on host A, observed on host B ...");
        var propagation = await MeasurePropagationAsync(managerA, resolverB, cancellationToken);
        Array.Sort(propagation);
        var p50 = Percentiles.Of(propagation, 50);
        var p99 = Percentiles.Of(propagation, 99);
        Progress.Say($"propagation: p50 {p50:0.00} ms, p99 {p99:0.00} ms, max {propagation[^1]:0.00} ms");

        await hostA.StopAsync(cancellationToken);
        await hostB.StopAsync(cancellationToken);
        await uncached.StopAsync(cancellationToken);
        return new JsonObject
        {
            ["scenario"] = Name,
            ["warm_lookup_ns"] = Math.Round(warmNs, 1),
            ["warm_lookup_min_ns"] = Math.Round(warmMinNs, 1),
            ["warm_lookup_bytes"] = warmBytes,
            ["load_average_1m"] = load,
            ["db_lookup_ns"] = Math.Round(dbNs),
            ["db_lookup_over_warm"] = Math.Round(dbNs / warmNs),
            ["propagation_changes"] = propagation.Length,
            ["propagation_p50_ms"] = Math.Round(p50, 2),
            ["propagation_p99_ms"] = Math.Round(p99, 2),
            ["propagation_max_ms"] = Math.Round(propagation[^1], 2),
        };
    }

    /// <summary>Two hosts wired as applications wire them; each has its own cache, listener and outbox.</summary>
    private static IHost BuildHost(string connectionString, bool cacheEnabled)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = Path.Combine(Path.GetTempPath(), "exai-bench-spill", Guid.NewGuid().ToString("N")[..8]);
            o.Prompts.CacheEnabled = cacheEnabled;
        });
        return builder.Build();
    }

    private static (double MedianNs, double MinNs, long Bytes) RunBenchmarkDotNet(IPromptResolver resolver)
    {
        PromptLookupBenchmark.Resolver = resolver;
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithWarmupCount(5)
                .WithIterationCount(20))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "exai-bench-artifacts"))
            .WithOptions(ConfigOptions.DisableLogFile);

        // BenchmarkDotNet writes its progress and tables to the console: send them to standard error, so the last line
        // of standard output stays the scenario's JSON.
        var stdout = Console.Out;
        Console.SetOut(Console.Error);
        Summary summary;
        try
        {
            summary = BenchmarkRunner.Run<PromptLookupBenchmark>(config);
        }
        finally
        {
            Console.SetOut(stdout);
        }

        var report = summary.Reports.SingleOrDefault() ?? throw new InvalidOperationException("BenchmarkDotNet produced no report.");
        var statistics = report.ResultStatistics ?? throw new InvalidOperationException("BenchmarkDotNet measured nothing: " + string.Join("; ", summary.ValidationErrors.Select(e => e.Message)));
        return (statistics.Median, statistics.Min, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1);
    }

    private static async Task<double> MeasureUncachedAsync(IPromptResolver resolver, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200; i++)
        {
            await resolver.ResolveAsync(Tool, Provider, cancellationToken);
        }

        var samples = new double[DbLookups];
        var nanosPerTick = 1e9 / Stopwatch.Frequency;
        for (var i = 0; i < DbLookups; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await resolver.ResolveAsync(Tool, Provider, cancellationToken);
            samples[i] = (Stopwatch.GetTimestamp() - start) * nanosPerTick;
        }

        return Percentiles.Median(samples);
    }

    /// <summary>
    /// Each change is timed from the start of the activating call on host A (its commit included, so the figure is an
    /// upper bound) to the first lookup on host B that returns the new version.
    /// </summary>
    private static async Task<double[]> MeasurePropagationAsync(IPromptManager manager, IPromptResolver resolver, CancellationToken cancellationToken)
    {
        var results = new double[Changes];
        for (var i = 0; i < Changes; i++)
        {
            var target = i % 2 == 0 ? "v2" : "v1";
            var start = Stopwatch.GetTimestamp();
            await manager.ActivateAsync(Tool, Provider, target, "benchmark", cancellationToken: cancellationToken);
            await WaitForAsync(resolver, target, TimeSpan.FromSeconds(30), cancellationToken);
            results[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            await Task.Delay(20, cancellationToken);
        }

        return results;
    }

    private static async Task WaitForAsync(IPromptResolver resolver, string version, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        while ((await resolver.ResolveAsync(Tool, Provider, cancellationToken)).Version != version)
        {
            if (Stopwatch.GetTimestamp() > until)
            {
                throw new TimeoutException($"Host B did not serve {Tool}/{Provider} {version} within {deadline.TotalSeconds} s.");
            }

            // Poll without sleeping (timer resolution would blur the figure) but give the listener its core back.
            Thread.Yield();
        }
    }
}

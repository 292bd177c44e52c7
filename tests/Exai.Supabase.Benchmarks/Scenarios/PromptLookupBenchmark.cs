using BenchmarkDotNet.Attributes;
using Exai.Supabase.Prompts;

namespace Exai.Supabase.Benchmarks.Scenarios;

/// <summary>
/// The warm lookup, timed by BenchmarkDotNet in this process (in-process toolchain) against a resolver the prompts
/// scenario wired to a real database and warmed. Public and unsealed because BenchmarkDotNet requires it.
/// </summary>
[MemoryDiagnoser]
public class PromptLookupBenchmark
{
    /// <summary>Set by <see cref="PromptsScenario"/> before the run.</summary>
    internal static IPromptResolver? Resolver { get; set; }

    // Distinct string instances from the ones the cache was filled with, as a tool would pass them.
    private readonly string _tool = new("codereview".AsSpan());
    private readonly string _provider = new("kimi".AsSpan());
    private IPromptResolver _resolver = null!;

    [GlobalSetup]
    public void Setup() => _resolver = Resolver ?? throw new InvalidOperationException("The prompts scenario sets the resolver before running the benchmark.");

    [Benchmark(Description = "warm ResolveAsync")]
    public ResolvedPrompt WarmLookup()
    {
        var lookup = _resolver.ResolveAsync(_tool, _provider);
        return lookup.IsCompletedSuccessfully ? lookup.Result : lookup.AsTask().GetAwaiter().GetResult();
    }
}

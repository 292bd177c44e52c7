using System.Diagnostics;
using Exai.Supabase.Prompts;

namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>Two versions stored, the second activated, rolled back in one call; a cached lookup timed; a fallback.</summary>
internal static class PromptStep
{
    public const string Name = "Prompts";

    /// <summary>The tool that has no prompt in the database: the code fallback registered by DemoServices answers.</summary>
    public const string FallbackTool = "demo_fallback";

    private const int TimedLookups = 1_000_000;

    public static async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var manager = context.Get<IPromptManager>();
        var resolver = context.Get<IPromptResolver>();
        var tool = $"demo_review_{context.RunId}";

        var v1 = await manager.StoreVersionAsync(
            new NewPromptVersion { Tool = tool, Provider = "kimi", Content = "Review the diff. List defects first.", Tier = 1, Author = "demo", ChangeDescription = "first cut" },
            cancellationToken);
        await manager.ActivateAsync(tool, "kimi", v1.Version.Version, changedBy: "demo", reason: "initial", cancellationToken);
        var v2 = await manager.StoreVersionAsync(
            new NewPromptVersion { Tool = tool, Provider = "kimi", Content = "Review the diff. Defects first, then style; quote lines.", Tier = 2, Author = "demo", ChangeDescription = "quote lines" },
            cancellationToken);
        await manager.ActivateAsync(tool, "kimi", v2.Version.Version, changedBy: "demo", reason: "try the longer one", cancellationToken);
        await WaitForActiveAsync(resolver, tool, v2.Version.Version, cancellationToken);

        var rollback = await manager.RollbackAsync(tool, "kimi", changedBy: "demo", reason: "v2 too verbose", cancellationToken);
        DemoContext.Check(
            rollback.Changed && rollback.FromVersion == v2.Version.Version && rollback.ToVersion == v1.Version.Version,
            $"rollback went from {rollback.FromVersion} to {rollback.ToVersion}, not from {v2.Version.Version} to {v1.Version.Version}");
        await WaitForActiveAsync(resolver, tool, v1.Version.Version, cancellationToken);

        var history = await manager.GetHistoryAsync(tool, "kimi", cancellationToken: cancellationToken);
        var actions = string.Join(", ", history.OrderBy(h => h.ChangedAt).Select(h => $"{h.Action} {h.Version}".ToLowerInvariant()));
        DemoContext.Check(
            actions == $"created {v1.Version.Version}, activated {v1.Version.Version}, created {v2.Version.Version}, activated {v2.Version.Version}, rolledback {v1.Version.Version}",
            $"the change history reads '{actions}'");

        var nanoseconds = TimeCachedLookups(resolver, tool);

        var fallback = await resolver.ResolveAsync(FallbackTool, "glm", cancellationToken);
        DemoContext.Check(fallback.Origin == PromptOrigin.CodeFallback, $"{FallbackTool}/glm answered from {fallback.Origin}, not the code fallback");

        return $"{v1.Version.Version} -> {v2.Version.Version}, rolled back to {v1.Version.Version} in one call ({history.Count} history entries); " +
               $"cached lookup {nanoseconds:0} ns (median of 5 x {TimedLookups / 5:N0}); {FallbackTool}/glm answered by the code fallback";
    }

    private static Task WaitForActiveAsync(IPromptResolver resolver, string tool, string version, CancellationToken cancellationToken) =>
        DemoContext.WaitUntilAsync(
            async () => (await resolver.ResolveAsync(tool, "kimi", cancellationToken)).Version == version,
            TimeSpan.FromSeconds(5),
            $"the lookup of {tool}/kimi answering {version}",
            cancellationToken);

    /// <summary>The median over five rounds of the time one warm lookup takes (the ValueTask completes synchronously).</summary>
    private static double TimeCachedLookups(IPromptResolver resolver, string tool)
    {
        var rounds = new double[5];
        for (var round = 0; round < rounds.Length; round++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < TimedLookups / rounds.Length; i++)
            {
                var lookup = resolver.ResolveAsync(tool, "kimi");
                if (!lookup.IsCompletedSuccessfully)
                {
                    throw new StepFailedException("a warm lookup did not complete synchronously");
                }

                _ = lookup.Result;
            }

            rounds[round] = Stopwatch.GetElapsedTime(started).TotalNanoseconds / (TimedLookups / rounds.Length);
        }

        Array.Sort(rounds);
        return rounds[rounds.Length / 2];
    }
}

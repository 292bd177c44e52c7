namespace Exai.Supabase.Benchmarks.Scenarios;

/// <summary>Every scenario, by name.</summary>
internal static class ScenarioCatalog
{
    public static IReadOnlyList<IScenario> All { get; } =
    [
        new OutboxScenario(),
        new IssuesScenario(),
        new PromptsScenario(),
        new RealtimeScenario(),
        new ConversationsScenario(),
    ];
}

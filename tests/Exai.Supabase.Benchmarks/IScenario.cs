using System.Text.Json.Nodes;

namespace Exai.Supabase.Benchmarks;

/// <summary>One benchmark scenario: <c>dotnet run -c Release --project tests/Exai.Supabase.Benchmarks -- &lt;name&gt;</c>.</summary>
internal interface IScenario
{
    /// <summary>The name given on the command line.</summary>
    string Name { get; }

    /// <summary>What it measures, for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs the scenario; its figures become the JSON object printed as the last line of standard output.</summary>
    Task<JsonObject> RunAsync(string[] arguments, CancellationToken cancellationToken);
}

using System.Text.Json;
using Exai.Supabase.Benchmarks;
using Exai.Supabase.Benchmarks.Scenarios;

// dotnet run -c Release --project tests/Exai.Supabase.Benchmarks -- <scenario> [options]
// Progress goes to standard error; the last line of standard output is one JSON object with the figures.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var name = args.FirstOrDefault();
var scenario = ScenarioCatalog.All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
if (scenario is null)
{
    await Console.Error.WriteLineAsync($"usage: dotnet run -c Release --project tests/Exai.Supabase.Benchmarks -- <scenario>{Environment.NewLine}scenarios:");
    foreach (var s in ScenarioCatalog.All)
    {
        await Console.Error.WriteLineAsync($"  {s.Name,-14} {s.Description}");
    }

    return 2;
}

#if DEBUG
await Console.Error.WriteLineAsync("warning: a Debug build; figures are only meaningful with -c Release.");
#endif
try
{
    var figures = await scenario.RunAsync(args.Skip(1).ToArray(), cancellation.Token);

    // What the machine was doing, to read the figures against (a scenario may have taken it at a moment of its own).
    if (!figures.ContainsKey("load_average_1m"))
    {
        figures["load_average_1m"] = MachineLoad.LoadAverage();
    }

    figures["cores"] = Environment.ProcessorCount;
    Console.Out.WriteLine(figures.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    return 0;
}
catch (Exception ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}");
    return 1;
}

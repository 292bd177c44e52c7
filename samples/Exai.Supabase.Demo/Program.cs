using Exai.Supabase.Demo;

// dotnet run --project samples/Exai.Supabase.Demo -- <verb> [options]
// Every failure ends as one line on standard error and exit code 1.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var verb = args.Length > 0 ? args[0] : "walkthrough";
var options = args.Skip(1).ToArray();
try
{
    var configuration = DemoDatabase.LoadConfiguration();
    return verb switch
    {
        "migrate" => await MigrateCommand.RunAsync(options, configuration, cancellation.Token),
        "walkthrough" => await WalkthroughCommand.RunAsync(options, configuration, cancellation.Token),
        "soak" => await SoakCommand.RunAsync(options, configuration, cancellation.Token),
        "help" or "--help" or "-h" => Usage(Console.Out, 0),
        _ => throw new DemoException($"unknown verb '{verb}'. Verbs: migrate, soak, walkthrough (the default)."),
    };
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("error: cancelled");
    return 1;
}
catch (Exception ex)
{
    await Console.Error.WriteLineAsync($"error: {ErrorText.OneLine(ex)}");
    return 1;
}

static int Usage(TextWriter writer, int code)
{
    writer.WriteLine("""
        Exai.Supabase demo
          (no verb)               walk through every feature on a throwaway PostgreSQL (or ConnectionStrings__Exai)
          migrate                 apply the migrations to ConnectionStrings__Exai (or a throwaway PostgreSQL)
          migrate --script        print the idempotent SQL of every migration without connecting
          migrate --dry-run       print what adopting an EX-AI database would do (and the pending migrations); change nothing
          migrate --adopt-legacy  adopt an EX-AI-MCP-Server database: keep its tables in schema exai_legacy, copy every row
                                  into the consolidated tables, apply the migrations (add --drop-legacy-backup to drop the backup)
          soak --messages N       record N messages over many threads as fast as possible, kill and restart the (throwaway)
               [--conversations C]  server meanwhile, flush, and print {"recorded","persisted","duplicates",...} counted
                                  from the database; exit 1 if any message is missing or stored twice
        """);
    return code;
}

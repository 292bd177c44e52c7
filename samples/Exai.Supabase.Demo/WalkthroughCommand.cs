using System.Diagnostics;
using Exai.Supabase.Demo.Walkthrough;
using Exai.Supabase.Testing;
using Microsoft.Extensions.Configuration;

namespace Exai.Supabase.Demo;

/// <summary>
/// The default verb: every feature in turn on one database, as a tool server would use it, with a line of figures per
/// step. A failed step is reported and the walk goes on; the exit code is 1 when any step failed.
/// </summary>
internal static class WalkthroughCommand
{
    private static readonly (string Name, Func<DemoContext, CancellationToken, Task<string>> Run)[] Steps =
    [
        (MigrateStep.Name, MigrateStep.RunAsync),
        (PromptStep.Name, PromptStep.RunAsync),
        (ConversationStep.Name, ConversationStep.RunAsync),
        (FileStep.Name, FileStep.RunAsync),
        (IssueStep.Name, IssueStep.RunAsync),
        (ChangeFeedStep.Name, ChangeFeedStep.RunAsync),
        (OutboxRestartStep.Name, OutboxRestartStep.RunAsync),
    ];

    public static async Task<int> RunAsync(string[] options, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (options.Length > 0)
        {
            throw new DemoException($"the walk-through takes no options (got {string.Join(" ", options)}).");
        }

        var total = Stopwatch.GetTimestamp();
        await using var database = await DemoDatabase.OpenAsync(configuration, Console.Out, cancellationToken);
        Console.Out.WriteLine($"Using {database.Description}.");
        await using var fileApis = await LocalFileApis.StartAsync();
        var results = new List<StepResult>();
        await using (var context = new DemoContext(configuration, database, fileApis))
        {
            foreach (var (name, run) in Steps)
            {
                var result = await RunStepAsync(results.Count + 1, name, run, context, results, cancellationToken);
                results.Add(result);
                Console.Out.WriteLine(Format(results.Count, result));
            }
        }

        var failed = results.Count(r => r.Outcome == StepOutcome.Failed);
        var skipped = results.Count(r => r.Outcome == StepOutcome.Skipped);
        Console.Out.WriteLine(
            $"{results.Count - failed - skipped} passed, {failed} failed, {skipped} skipped in {Stopwatch.GetElapsedTime(total).TotalSeconds:0.0} s.");
        return failed == 0 ? 0 : 1;
    }

    private static async Task<StepResult> RunStepAsync(
        int number,
        string name,
        Func<DemoContext, CancellationToken, Task<string>> run,
        DemoContext context,
        List<StepResult> earlier,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (number > 1 && earlier[0].Outcome != StepOutcome.Passed)
        {
            return new StepResult(name, StepOutcome.Skipped, "the schema could not be migrated", TimeSpan.Zero);
        }

        try
        {
            var detail = await run(context, cancellationToken);
            return new StepResult(name, StepOutcome.Passed, detail, Stopwatch.GetElapsedTime(started));
        }
        catch (SkipStepException skip)
        {
            return new StepResult(name, StepOutcome.Skipped, skip.Message, Stopwatch.GetElapsedTime(started));
        }
        catch (StepFailedException failed)
        {
            return new StepResult(name, StepOutcome.Failed, failed.Message, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new StepResult(name, StepOutcome.Failed, ErrorText.OneLine(ex), Stopwatch.GetElapsedTime(started));
        }
    }

    private static string Format(int number, StepResult result)
    {
        var label = result.Outcome switch
        {
            StepOutcome.Passed => "ok  ",
            StepOutcome.Failed => "FAIL",
            _ => "skip",
        };
        var time = result.Outcome == StepOutcome.Skipped ? "" : $" [{result.Elapsed.TotalSeconds:0.0} s]";
        return $"{label} {number}. {result.Name}{time}: {result.Detail}";
    }
}

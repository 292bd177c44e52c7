using System.Diagnostics;
using Exai.Supabase.Conversations;
using Exai.Supabase.Outbox;
using Exai.Supabase.Prompts;
using Npgsql;

namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>
/// The database stopped under a working tool server: turns are still recorded (in memory, then spilled to disk),
/// prompts and the thread's history still answer; after the restart every turn is in the database exactly once.
/// </summary>
internal static class OutboxRestartStep
{
    public const string Name = "Outbox through a database restart";

    private const int Turns = 500;

    public static async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        if (context.Database.Server is not { CanRestart: true } server)
        {
            throw new SkipStepException("it stops and restarts the server, and the demo did not start this one (ConnectionStrings__Exai or EXAI_TEST_POSTGRES names it)");
        }

        var store = context.Get<IConversationStore>();
        var outbox = context.Get<IExaiOutbox>();
        var continuationId = $"demo-{context.RunId}-outage";
        await store.GetOrCreateAsync(continuationId, new ConversationThreadDetails { Title = "written while the database was down" }, cancellationToken);
        await outbox.FlushAsync(cancellationToken);
        var before = outbox.GetStatistics();

        await server.StopAsync(immediate: true, cancellationToken);
        TimeSpan perAppend;
        ResolvedPrompt prompt;
        OutboxStatistics down;
        try
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < Turns; i++)
            {
                store.Append(continuationId, ConversationTurn.User($"turn {i:000} while down"));
            }

            perAppend = Stopwatch.GetElapsedTime(started) / Turns;
            prompt = await context.Get<IPromptResolver>().ResolveAsync($"demo_review_{context.RunId}", "kimi", cancellationToken);
            var recent = await store.GetLastAsync(continuationId, 3, cancellationToken);
            DemoContext.Check(recent.Count == 3 && recent[^1].Content == $"turn {Turns - 1:000} while down", "the thread's newest turns were not readable while the database was down");
            await DemoContext.WaitUntilAsync(() => Task.FromResult(outbox.GetStatistics().Spilled > before.Spilled), TimeSpan.FromSeconds(10), "the queued turns spilling to disk", cancellationToken);
            down = outbox.GetStatistics();
        }
        finally
        {
            await server.StartAsync(cancellationToken);
        }

        var restarted = Stopwatch.GetTimestamp();
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            await outbox.FlushAsync(deadline.Token);
        }

        var drained = Stopwatch.GetElapsedTime(restarted);
        var stored = await StoredTurnsAsync(context.Database.ConnectionString, continuationId, cancellationToken);
        var expected = Enumerable.Range(0, Turns).Select(i => $"turn {i:000} while down");
        DemoContext.Check(stored.SequenceEqual(expected), $"the database holds {stored.Count} turn(s) ({stored.Distinct().Count()} distinct) of the {Turns} recorded, or not in order");
        var after = outbox.GetStatistics();
        DemoContext.Check(after.DeadLettered == before.DeadLettered, $"{after.DeadLettered - before.DeadLettered} record(s) dead-lettered");

        return $"{Turns} turns appended with the server stopped ({perAppend.TotalMicroseconds:0.0} µs each), {down.Spilled - before.Spilled} spilled to disk; " +
               $"prompt {prompt.Version} and the history still answered; after the restart all {Turns} landed once, in order, {drained.TotalSeconds:0.0} s later";
    }

    /// <summary>The thread's turns as the database holds them, in order: counted there, not through this process's view.</summary>
    private static async Task<List<string>> StoredTurnsAsync(string connectionString, string continuationId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT m.content FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE c.continuation_id = @cid ORDER BY m.created_at, m.id
            """,
            connection);
        command.Parameters.AddWithValue("cid", continuationId);
        var turns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            turns.Add(reader.GetString(0));
        }

        return turns;
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Exai.Supabase.Conversations;
using Exai.Supabase.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Exai.Supabase.Demo;

/// <summary>
/// <c>soak --messages N [--conversations C]</c>: records N messages over C threads through
/// <see cref="IConversationStore.Append"/> as fast as one thread can, kills the database server (when the demo owns
/// it) and starts it again while recording, flushes, and counts what reached the database. The last line of standard
/// output is one JSON object; the exit code is 1 when a message is missing or stored twice.
/// </summary>
internal static class SoakCommand
{
    private const string MessagesOption = "--messages";
    private const string ConversationsOption = "--conversations";
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] options, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var (messages, conversations) = Parse(options);
        await using var database = await DemoDatabase.OpenAsync(configuration, Console.Out, cancellationToken);
        Console.Out.WriteLine($"Using {database.Description}.");
        using var host = DemoServices.BuildHost(configuration, database.ConnectionString, options =>
        {
            // Recording never drops here: when memory and the spill folder are both full the caller waits for room.
            options.Outbox.FullMode = OutboxFullMode.Wait;
            options.Outbox.FullWaitTimeout = TimeSpan.FromMinutes(5);
            options.Outbox.MaxBatchAge = OutboxDefaults.MaxBatchAge;
            options.Outbox.SpillAfter = TimeSpan.FromMilliseconds(500);
        });
        await host.StartAsync(cancellationToken);
        try
        {
            return await SoakAsync(host.Services, database, messages, conversations, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<int> SoakAsync(IServiceProvider services, DemoDatabase database, int messages, int conversations, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IConversationStore>();
        var outbox = services.GetRequiredService<IExaiOutbox>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var threads = Enumerable.Range(0, conversations).Select(i => $"soak-{run}-{i:00000}").ToArray();
        foreach (var thread in threads)
        {
            await store.GetOrCreateAsync(thread, cancellationToken: cancellationToken);
        }

        await outbox.FlushAsync(cancellationToken);
        var before = outbox.GetStatistics();
        Console.Out.WriteLine($"Recording {messages:N0} messages over {conversations:N0} threads (run {run}) ...");

        var started = Stopwatch.GetTimestamp();
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var recorded = 0L;
        var progress = ReportProgressAsync(outbox, before, messages, () => Interlocked.Read(ref recorded), progressStop.Token);
        var owned = database.Server is { CanRestart: true } ? database.Server : null;
        if (owned is null)
        {
            Console.Out.WriteLine("The demo does not own this server (ConnectionStrings__Exai or EXAI_TEST_POSTGRES), so it is not killed during the run.");
        }

        // A third is recorded with the server up; then it is killed, and the rest is recorded while it is down.
        var killAt = owned is null ? messages : messages / 3;
        Task restart = Task.CompletedTask;
        for (var i = 0; i < messages; i++)
        {
            if (i == killAt && owned is not null)
            {
                await owned.StopAsync(immediate: true, cancellationToken);
                var landed = outbox.GetStatistics().Persisted - before.Persisted;
                Console.Out.WriteLine($"Server killed (immediate shutdown) with {i:N0} recorded and {landed:N0} persisted; restarting it in {Outage.TotalSeconds:0} s.");
                restart = RestartAfterOutageAsync(owned, cancellationToken);
            }

            store.Append(threads[i % threads.Length], ConversationTurn.User($"soak {run} {i}"));
            Interlocked.Increment(ref recorded);
        }

        var recordSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Console.Out.WriteLine($"Recorded {messages:N0} in {recordSeconds:0.00} s; waiting for the server and the outbox ...");
        await restart;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(TimeSpan.FromMinutes(10));
            await outbox.FlushAsync(deadline.Token);
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await progressStop.CancelAsync();
        await progress;

        var (rows, distinct) = await CountAsync(database.ConnectionString, run, cancellationToken);
        var after = outbox.GetStatistics();
        var result = new
        {
            recorded = Interlocked.Read(ref recorded),
            persisted = distinct,
            duplicates = rows - distinct,
            dead_lettered = after.DeadLettered - before.DeadLettered,
            spilled = after.Spilled - before.Spilled,
            dropped = after.Dropped.Values.Sum() - before.Dropped.Values.Sum(),
            seconds = Math.Round(seconds, 2),
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(result));
        if (result.persisted != messages || result.duplicates != 0)
        {
            await Console.Error.WriteLineAsync(
                $"error: {messages - result.persisted} message(s) missing and {result.duplicates} stored twice of {messages} recorded");
            return 1;
        }

        return 0;
    }

    private static async Task RestartAfterOutageAsync(Testing.PostgresServer server, CancellationToken cancellationToken)
    {
        await Task.Delay(Outage, cancellationToken);
        await server.StartAsync(cancellationToken);
        Console.Out.WriteLine("Server running again.");
    }

    private static async Task ReportProgressAsync(IExaiOutbox outbox, OutboxStatistics before, int messages, Func<long> recorded, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var now = outbox.GetStatistics();
                Console.Out.WriteLine(
                    $"  recorded {recorded():N0}/{messages:N0}, persisted {now.Persisted - before.Persisted:N0}, spilled {now.Spilled - before.Spilled:N0}, " +
                    $"queued {now.QueueDepth:N0}, database {(now.DatabaseAvailable ? "up" : "down")}");
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>Counts the run's messages in the database: all rows, and distinct contents (one per message recorded).</summary>
    private static async Task<(long Rows, long Distinct)> CountAsync(string connectionString, string run, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*), count(DISTINCT m.content)
            FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE c.continuation_id LIKE @prefix
            """,
            connection);
        command.Parameters.AddWithValue("prefix", $"soak-{run}-%");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static (int Messages, int Conversations) Parse(string[] options)
    {
        int? messages = null;
        int? conversations = null;
        for (var i = 0; i < options.Length; i++)
        {
            switch (options[i])
            {
                case MessagesOption when i + 1 < options.Length:
                    messages = Positive(MessagesOption, options[++i]);
                    break;
                case ConversationsOption when i + 1 < options.Length:
                    conversations = Positive(ConversationsOption, options[++i]);
                    break;
                default:
                    throw new DemoException($"soak takes {MessagesOption} N and optionally {ConversationsOption} C; '{options[i]}' is not one of them (or lacks its number).");
            }
        }

        if (messages is not { } count)
        {
            throw new DemoException($"soak needs {MessagesOption} N (for example: soak {MessagesOption} 100000).");
        }

        return (count, conversations ?? Math.Clamp(count / 100, 1, 1_000));
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new DemoException($"{option} takes a positive whole number, not '{value}'.");
}

using System.Text.Json;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Demo;

/// <summary>
/// The demo's walk-through and <c>soak</c>, run as processes the way a user runs them. A "configured" database is one
/// of a private server: the change-feed step creates a logical slot, which waits for every transaction running on the
/// cluster, and the shared server's other fixtures keep it busy.
/// </summary>
public sealed class DemoWalkthroughTests
{
    [Test]
    public async Task The_walkthrough_on_its_own_throwaway_server_passes_every_step_and_exits_0()
    {
        var result = await DemoProcess.RunAsync(connectionString: null);

        result.ExitCode.Should().Be(0, result.ToString());
        var steps = StepLines(result);
        steps.Should().HaveCount(7, result.ToString());
        steps.Should().OnlyContain(line => line.StartsWith("ok ", StringComparison.Ordinal), result.ToString());
        steps[6].Should().Contain("Outbox through a database restart").And.Contain("landed once, in order");
        LastLine(result).Should().StartWith("7 passed, 0 failed, 0 skipped");
    }

    [Test]
    public async Task On_a_configured_database_the_walkthrough_skips_the_restart_and_says_why()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        var database = await server.CreateDatabaseAsync("exai_demo_walk");

        var result = await DemoProcess.RunAsync(database);

        result.ExitCode.Should().Be(0, result.ToString());
        var steps = StepLines(result);
        steps.Take(6).Should().OnlyContain(line => line.StartsWith("ok ", StringComparison.Ordinal), result.ToString());
        steps[6].Should().StartWith("skip 7. Outbox through a database restart").And.Contain("did not start this one");
        LastLine(result).Should().StartWith("6 passed, 0 failed, 1 skipped");
    }

    [Test]
    public async Task A_failing_step_is_reported_the_walk_goes_on_and_the_exit_code_is_1()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        var database = await server.CreateDatabaseAsync("exai_demo_walk_fail");
        // The file step stores a 60-byte file; a 10-byte bucket limit makes it fail, and only it.
        var environment = new Dictionary<string, string> { ["Exai__Files__Buckets__user-files__MaxFileBytes"] = "10" };

        var result = await DemoProcess.RunAsync(database, environment);

        result.ExitCode.Should().Be(1, result.ToString());
        var steps = StepLines(result);
        steps.Should().HaveCount(7, result.ToString());
        steps[3].Should().StartWith("FAIL 4. File synced and deleted");
        steps.Where((_, i) => i != 3 && i != 6).Should().OnlyContain(line => line.StartsWith("ok ", StringComparison.Ordinal), result.ToString());
        LastLine(result).Should().StartWith("5 passed, 1 failed, 1 skipped");
    }

    [Test]
    public async Task Soak_comes_through_a_killed_and_restarted_server_with_every_message_once()
    {
        var result = await DemoProcess.RunAsync(null, "soak", "--messages", "20000", "--conversations", "50");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StandardOutput.Should().Contain("Server killed").And.Contain("Server running again");
        using var figures = JsonDocument.Parse(LastLine(result));
        var root = figures.RootElement;
        root.GetProperty("recorded").GetInt64().Should().Be(20_000);
        root.GetProperty("persisted").GetInt64().Should().Be(20_000, "every message is in the database");
        root.GetProperty("duplicates").GetInt64().Should().Be(0);
        root.GetProperty("dead_lettered").GetInt64().Should().Be(0);
        root.GetProperty("dropped").GetInt64().Should().Be(0);
        root.GetProperty("spilled").GetInt64().Should().BePositive("two thirds were recorded with the server down, and it stayed down past SpillAfter");
        root.GetProperty("seconds").GetDouble().Should().BePositive();
    }

    [TestCase(new[] { "soak" }, "--messages")]
    [TestCase(new[] { "soak", "--messages", "-5" }, "positive whole number")]
    [TestCase(new[] { "soak", "--messages", "10", "--burst" }, "--burst")]
    [TestCase(new[] { "walkthrough", "--fast" }, "takes no options")]
    public async Task Bad_arguments_end_in_one_line_and_exit_1(string[] arguments, string named)
    {
        var result = await DemoProcess.RunAsync("Host=127.0.0.1;Port=1;Username=nobody", arguments);

        result.ExitCode.Should().Be(1, result.ToString());
        result.ErrorLines.Should().ContainSingle().Which.Should().StartWith("error:").And.Contain(named);
    }

    private static string[] StepLines(DemoProcess.Result result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("ok ", StringComparison.Ordinal) || line.StartsWith("FAIL ", StringComparison.Ordinal) || line.StartsWith("skip ", StringComparison.Ordinal))
            .ToArray();

    private static string LastLine(DemoProcess.Result result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
}

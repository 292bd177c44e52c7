using System.Text.Json.Nodes;
using Exai.Supabase.Prompts;
using Exai.Supabase.Prompts.Internal;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Prompts;

/// <summary>Executions recorded through the outbox, and statistics per version from one indexed query.</summary>
public sealed class PromptStatisticsTests
{
    private MigratedDatabase _database = null!;
    private PromptHarness _prompts = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = await MigratedDatabase.CreateAsync("exai_prompt_stats");
        _prompts = PromptHarness.Create(_database.ConnectionString, o => o.Fallbacks.Add("coded", null, "from code"));
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _prompts.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Statistics_count_successes_percentiles_and_tokens_per_version_and_compare_side_by_side()
    {
        await _prompts.PublishAsync("stats", "kimi", "first", "v1");
        var v1 = await _prompts.Resolver.ResolveAsync("stats", "kimi");
        for (var i = 1; i <= 100; i++)
        {
            // Durations 1..100 ms; every tenth fails; tokens 10..1000.
            _prompts.Resolver.RecordExecution(v1, TimeSpan.FromMilliseconds(i), success: i % 10 != 0, tokenCount: i * 10, errorMessage: i % 10 == 0 ? "timeout" : null);
        }

        await _prompts.PublishAsync("stats", "kimi", "second", "v2");
        var v2 = await _prompts.Resolver.ResolveAsync("stats", "kimi");
        v2.Version.Should().Be("v2");
        for (var i = 1; i <= 20; i++)
        {
            _prompts.Resolver.RecordExecution(v2, TimeSpan.FromMilliseconds(5), success: true, tokenCount: i % 2 == 0 ? 100 : null);
        }

        await _prompts.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var first = await _prompts.Manager.GetStatisticsAsync("stats", "kimi", "v1");
        var comparison = await _prompts.Manager.CompareAsync("stats", "kimi", "v1", "v2");

        first.Should().Match<PromptStatistics>(s => s.Executions == 100 && s.Successes == 90 && s.SuccessRate == 0.9 && s.PromptId == v1.PromptId);
        first.P50DurationMs.Should().BeApproximately(50.5, 1e-9);
        first.P95DurationMs.Should().BeApproximately(95.05, 1e-9);
        first.MeanTokens.Should().BeApproximately(505, 1e-9);
        comparison.Baseline.Should().BeEquivalentTo(first);
        comparison.Candidate.Should().Match<PromptStatistics>(s => s.Executions == 20 && s.SuccessRate == 1.0 && s.P50DurationMs == 5 && s.MeanTokens == 100);
        comparison.SuccessRateChange.Should().BeApproximately(0.1, 1e-9);
        comparison.P95DurationChangeMs.Should().BeApproximately(5 - 95.05, 1e-9);
        (await _database.ScalarAsync<long>("SELECT count(*) FROM prompt_performance WHERE error_message = 'timeout'")).Should().Be(10);
    }

    [Test]
    public async Task Statistics_can_be_limited_to_recent_executions_and_a_version_without_any_has_none()
    {
        await _prompts.PublishAsync("recent", "kimi", "text", "v1");
        await _prompts.Manager.StoreVersionAsync(PromptHarness.Prompt("recent", "kimi", "unused", "v2"));
        var prompt = await _prompts.Resolver.ResolveAsync("recent", "kimi");
        _prompts.Resolver.RecordExecution(prompt, TimeSpan.FromMilliseconds(10), success: true);
        await _prompts.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        var future = await _prompts.Manager.GetStatisticsAsync("recent", "kimi", "v1", since: DateTimeOffset.UtcNow.AddHours(1));
        var unused = await _prompts.Manager.GetStatisticsAsync("recent", "kimi", "v2");

        future.Executions.Should().Be(0);
        unused.Should().Match<PromptStatistics>(s => s.Executions == 0 && s.SuccessRate == null && s.P50DurationMs == null && s.MeanTokens == null);
    }

    [Test]
    public async Task The_statistics_query_is_served_by_the_prompt_id_index()
    {
        await _database.ExecuteAsync("ANALYZE prompt_performance; ANALYZE system_prompts;");
        var plan = await ExplainAsync(PromptRepository.StatisticsSql);

        plan.Should().Contain("ix_prompt_performance_prompt_id_executed_at");
    }

    [Test]
    public async Task Executions_land_in_the_service_scope_even_from_a_user_flow_and_code_fallbacks_keep_their_label()
    {
        var coded = await _prompts.Resolver.ResolveAsync("coded", "kimi");
        using (ExaiScope.Begin(ExaiScope.ForUser(Guid.NewGuid())))
        {
            _prompts.Resolver.RecordExecution(coded, TimeSpan.FromMilliseconds(3), success: false, errorMessage: "bad\0byte " + new string('x', 5000), metadata: new JsonObject { ["model"] = "kimi-k2" });
        }

        await _prompts.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        _prompts.Outbox.GetStatistics().DeadLettered.Should().Be(0);
        var row = await _database.ScalarAsync<string>(
            "SELECT concat_ws('|', prompt_id IS NULL, prompt_version, tool_name, provider, success, length(error_message), position(U&'\\FFFD' in error_message), metadata->>'model') FROM prompt_performance WHERE tool_name = 'coded'");
        row.Should().Be($"t|fallback|coded|kimi|f|{PromptResolver.ErrorMessageLength}|4|kimi-k2");
    }

    [Test]
    public async Task An_execution_of_a_version_deleted_before_it_landed_keeps_its_label_without_the_link()
    {
        var version = await _prompts.PublishAsync("deleted", "kimi", "doomed", "v1");
        var prompt = await _prompts.Resolver.ResolveAsync("deleted", "kimi");
        await _database.ExecuteAsync($"DELETE FROM system_prompts WHERE id = '{version.Id}'");

        _prompts.Resolver.RecordExecution(prompt, TimeSpan.FromMilliseconds(1), success: true);
        await _prompts.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        _prompts.Outbox.GetStatistics().DeadLettered.Should().Be(0);
        (await _database.ScalarAsync<string>("SELECT concat_ws('|', prompt_id IS NULL, prompt_version) FROM prompt_performance WHERE tool_name = 'deleted'"))
            .Should().Be("t|v1");
    }

    [Test]
    public void Recording_checks_its_arguments_before_queueing()
    {
        var prompt = new ResolvedPrompt { Tool = "t", Provider = "p", SourceProvider = "p", Content = "c", Version = "v" };
        var recorded = _prompts.Outbox.GetStatistics().Recorded;

        var negative = () => _prompts.Resolver.RecordExecution(prompt, TimeSpan.FromMilliseconds(-1), true);
        var tokens = () => _prompts.Resolver.RecordExecution(prompt, TimeSpan.Zero, true, tokenCount: -5);
        var none = () => _prompts.Resolver.RecordExecution(null!, TimeSpan.Zero, true);
        var handMade = () => _prompts.Resolver.RecordExecution(prompt with { Tool = "to\0ol" }, TimeSpan.Zero, true);

        negative.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("duration");
        tokens.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("tokenCount");
        none.Should().Throw<ArgumentNullException>();
        handMade.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("prompt.Tool");
        _prompts.Outbox.GetStatistics().Recorded.Should().Be(recorded);
    }

    private async Task<string> ExplainAsync(string sql)
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using (var off = connection.CreateCommand())
        {
            // A handful of test rows would be read sequentially anyway; the question is whether the index can serve it.
            off.CommandText = "SET enable_seqscan = off";
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN " + sql;
        explain.Parameters.AddWithValue("tool", "stats");
        explain.Parameters.AddWithValue("provider", "kimi");
        explain.Parameters.AddWithValue("versions", new[] { "v1", "v2" });
        explain.Parameters.Add(new Npgsql.NpgsqlParameter("since", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = DBNull.Value });
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}

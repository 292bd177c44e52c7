using Exai.Supabase.Prompts;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Prompts;

/// <summary>Lookups while the database is down: each test on a private server it may stop and start.</summary>
public sealed class PromptOutageTests
{
    private PostgresServer _server = null!;
    private string _connectionString = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        _server = await PostgresServer.StartPrivateAsync();
        _connectionString = await _server.CreateDatabaseAsync("exai_prompt_outage");
        await MigratedDatabase.MigrateAsync(_connectionString);
    }

    [TearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    [Test]
    public async Task With_the_database_stopped_lookups_answer_from_the_last_values_and_the_code_fallbacks()
    {
        await using (var writer = PromptHarness.Create(_connectionString))
        {
            await writer.PublishAsync("debug", "kimi", "debug for kimi", "k1");
            await writer.PublishAsync("debug", PromptProviders.Base, "debug for everyone", "b1");
        }

        await using var warm = PromptHarness.Create(_connectionString, o => o.Fallbacks.Add("chat", null, "chat from code"));
        await warm.WhenLoadedAsync();
        await _server.StopAsync(immediate: true);

        // The warm instance keeps what it had, resolves lookups it never made from its rows, and falls back to code.
        (await warm.Resolver.ResolveAsync("debug", "kimi")).Content.Should().Be("debug for kimi");
        (await warm.Resolver.ResolveAsync("debug", "glm")).Should().Match<ResolvedPrompt>(p => p.Origin == PromptOrigin.BaseProvider && p.Content == "debug for everyone");
        (await warm.Resolver.ResolveAsync("chat", "kimi")).Origin.Should().Be(PromptOrigin.CodeFallback);

        // A cold instance has nothing cached: the code fallbacks answer, without waiting once the outage is known.
        await using var cold = PromptHarness.Create(_connectionString, o =>
        {
            o.Fallbacks.Add("debug", "kimi", "debug from code");
            o.LoadTimeout = TimeSpan.FromSeconds(5);
        });
        var fromCode = await cold.Resolver.ResolveAsync("debug", "kimi");
        fromCode.Should().Match<ResolvedPrompt>(p => p.Origin == PromptOrigin.CodeFallback && p.Content == "debug from code" && p.PromptId == null);
        var nothing = () => cold.Resolver.ResolveAsync("analyze", "kimi").AsTask();
        var error = (await nothing.Should().ThrowAsync<PromptNotFoundException>()).Which;
        error.Tried.Should().HaveCount(2);
        error.Tried[0].Should().Contain("not consulted").And.Contain("unreachable");
        error.Tried[1].Should().Contain("code fallbacks");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await cold.Resolver.ResolveAsync("debug", "kimi");
        await nothing.Should().ThrowAsync<PromptNotFoundException>();
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "once the outage is known, lookups do not wait for the database");

        // Back up: the cold instance loads and the database's versions take over from the code fallback.
        await _server.StartAsync();
        await Eventually.ReturnsAsync(
            async () => await cold.Resolver.ResolveAsync("debug", "kimi"),
            p => p.Origin == PromptOrigin.Active && p.Content == "debug for kimi",
            TimeSpan.FromSeconds(60),
            "the database answering again");
        (await cold.Resolver.ResolveAsync("analyze", "kimi").AsTask().ContinueWith(t => t.Exception?.InnerException))
            .Should().BeOfType<PromptNotFoundException>().Which.Tried[0].Should().Be("database: analyze/kimi has no active version");
    }

    [Test]
    public async Task Changes_made_during_an_outage_of_the_listener_arrive_once_it_reconnects()
    {
        await using var writer = PromptHarness.Create(_connectionString);
        await writer.PublishAsync("review", "kimi", "before", "v1");
        await writer.Manager.StoreVersionAsync(PromptHarness.Prompt("review", "kimi", "after", "v2"));
        await using var reader = PromptHarness.Create(_connectionString, o => o.RefreshInterval = TimeSpan.FromHours(1));
        await reader.WhenLoadedAsync();
        (await reader.Resolver.ResolveAsync("review", "kimi")).Version.Should().Be("v1");

        await _server.StopAsync(immediate: true);
        (await reader.Resolver.ResolveAsync("review", "kimi")).Version.Should().Be("v1", "the last value seen keeps answering");
        await _server.StartAsync();
        // The writer's change lands while the reader may still be reconnecting: only the resync after reconnecting
        // guarantees it is seen (no safety refresh within the hour).
        await Eventually.TrueAsync(async () => (await writer.Manager.ActivateAsync("review", "kimi", "v2")).ToVersion == "v2", TimeSpan.FromSeconds(60), "the activation after the restart");

        await Eventually.ReturnsAsync(
            async () => await reader.Resolver.ResolveAsync("review", "kimi"),
            p => p.Version == "v2",
            TimeSpan.FromSeconds(60),
            "the change reaching the reader after the outage");
    }
}

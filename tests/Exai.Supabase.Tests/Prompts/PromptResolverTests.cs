using Exai.Supabase.Prompts;
using Exai.Supabase.Prompts.Internal;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Prompts;

/// <summary>Lookups: the fallback chain, the snapshot cache, and changes reaching other instances.</summary>
public sealed class PromptResolverTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private MigratedDatabase _database = null!;
    private PromptHarness _writer = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = await MigratedDatabase.CreateAsync("exai_prompt_lookup");
        _writer = PromptHarness.Create(_database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _writer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task The_chain_tries_the_provider_then_base_then_code_then_throws_listing_what_was_tried()
    {
        await _writer.PublishAsync("chain", "kimi", "kimi prompt", "k1");
        await _writer.PublishAsync("chain", PromptProviders.Base, "base prompt", "b1");
        await using var reader = PromptHarness.Create(_database.ConnectionString, o =>
        {
            o.Fallbacks.Add("chain", null, "code prompt for chain");
            o.Fallbacks.Add("coded", "glm", "code prompt for glm", tier: 3, version: "py-1");
        });

        var own = await reader.Resolver.ResolveAsync("chain", "kimi");
        var viaBase = await reader.Resolver.ResolveAsync("chain", "glm");
        var coded = await reader.Resolver.ResolveAsync("coded", "glm");
        var missing = () => reader.Resolver.ResolveAsync("coded", "kimi").AsTask();

        own.Should().Match<ResolvedPrompt>(p => p.Origin == PromptOrigin.Active && p.Content == "kimi prompt" && p.Version == "k1" && p.SourceProvider == "kimi" && p.PromptId != null);
        viaBase.Should().Match<ResolvedPrompt>(p => p.Origin == PromptOrigin.BaseProvider && p.Content == "base prompt" && p.Provider == "glm" && p.SourceProvider == "base");
        coded.Should().Match<ResolvedPrompt>(p => p.Origin == PromptOrigin.CodeFallback && p.Content == "code prompt for glm" && p.Tier == 3 && p.Version == "py-1" && p.PromptId == null);
        var error = (await missing.Should().ThrowAsync<PromptNotFoundException>()).Which;
        error.Tool.Should().Be("coded");
        error.Provider.Should().Be("kimi");
        error.Tried.Should().Equal(
            "database: coded/kimi has no active version",
            "database: coded/base has no active version",
            "code fallbacks: none registered for coded/kimi and coded/base");
        error.Message.Should().Contain("coded/base has no active version");
    }

    [Test]
    public async Task A_warm_lookup_completes_synchronously_with_the_same_instance()
    {
        await _writer.PublishAsync("warm", "kimi", "warm prompt");
        await using var reader = PromptHarness.Create(_database.ConnectionString);
        var first = await reader.Resolver.ResolveAsync("warm", "kimi");

        var again = reader.Resolver.ResolveAsync("warm", "kimi");

        again.IsCompletedSuccessfully.Should().BeTrue();
        again.Result.Should().BeSameAs(first);
        first.ToString().Should().NotContain("warm prompt", "a prompt's text stays out of logs");
    }

    [Test]
    public async Task Lookup_arguments_are_checked()
    {
        var nullTool = () => _writer.Resolver.ResolveAsync(null!, "kimi").AsTask();
        var emptyTool = () => _writer.Resolver.ResolveAsync("", "kimi").AsTask();
        var nul = () => _writer.Resolver.ResolveAsync("to\0ol", "kimi").AsTask();

        await nullTool.Should().ThrowAsync<ArgumentNullException>();
        (await emptyTool.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("tool");
        await nul.Should().ThrowAsync<ArgumentException>();
    }

    [TestCase(PromptChangeSource.Notify)]
    [TestCase(PromptChangeSource.ChangeFeed)]
    public async Task A_change_on_one_instance_reaches_another_through_the_database(PromptChangeSource source)
    {
        var tool = $"propagate-{source}";
        await _writer.PublishAsync(tool, "kimi", "before", "v1");
        await _writer.Manager.StoreVersionAsync(PromptHarness.Prompt(tool, "kimi", "after", "v2"));
        await using var other = PromptHarness.Create(_database.ConnectionString, o => o.ChangeSource = source);
        await other.WhenLoadedAsync();
        if (source == PromptChangeSource.ChangeFeed)
        {
            // A new slot waits for every transaction already running on the server (other fixtures' too) before it
            // streams; the change must come after that to be in the stream at all.
            await Eventually.TrueAsync(
                async () => await _database.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_replication_slots WHERE database = current_database() AND active)"),
                TimeSpan.FromMinutes(2),
                "the other instance's change feed slot streaming");
        }
        (await other.Resolver.ResolveAsync(tool, "kimi")).Version.Should().Be("v1");

        await _writer.Manager.ActivateAsync(tool, "kimi", "v2");

        var seen = await Eventually.ReturnsAsync(
            async () => await other.Resolver.ResolveAsync(tool, "kimi"),
            p => p.Version == "v2",
            Generous,
            "the activation reaching the other instance");
        seen.Content.Should().Be("after");

        await _writer.Manager.RollbackAsync(tool, "kimi");
        await Eventually.ReturnsAsync(
            async () => await other.Resolver.ResolveAsync(tool, "kimi"),
            p => p.Version == "v1",
            Generous,
            "the rollback reaching the other instance");
    }

    [Test]
    public async Task A_change_of_the_base_provider_reaches_lookups_that_fell_back_to_it()
    {
        await _writer.PublishAsync("basechange", PromptProviders.Base, "base one", "b1");
        await using var other = PromptHarness.Create(_database.ConnectionString);
        (await other.Resolver.ResolveAsync("basechange", "glm")).Content.Should().Be("base one");

        await _writer.PublishAsync("basechange", PromptProviders.Base, "base two", "b2");

        await Eventually.ReturnsAsync(
            async () => await other.Resolver.ResolveAsync("basechange", "glm"),
            p => p.Content == "base two",
            Generous,
            "the new base version reaching a glm lookup");
    }

    [Test]
    public async Task After_the_listener_reconnects_the_cache_refreshes_everything_it_may_have_missed()
    {
        await _writer.PublishAsync("missed", "kimi", "before", "v1");
        var v2 = (await _writer.Manager.StoreVersionAsync(PromptHarness.Prompt("missed", "kimi", "after", "v2"))).Version;
        await using var other = PromptHarness.Create(_database.ConnectionString, o => o.RefreshInterval = TimeSpan.FromHours(1));
        await other.WhenLoadedAsync();
        (await other.Resolver.ResolveAsync("missed", "kimi")).Version.Should().Be("v1");

        // A change no notification announces (made with the trigger off), then the listener's connection is cut.
        await _database.ExecuteAsync($"""
            BEGIN;
            ALTER TABLE system_prompts DISABLE TRIGGER exai_system_prompts_notify;
            UPDATE system_prompts SET is_active = false WHERE tool_name = 'missed' AND provider = 'kimi';
            UPDATE system_prompts SET is_active = true WHERE id = '{v2.Id}';
            ALTER TABLE system_prompts ENABLE TRIGGER exai_system_prompts_notify;
            COMMIT;
            """);
        (await other.Resolver.ResolveAsync("missed", "kimi")).Version.Should().Be("v1", "nothing announced the change");
        var cut = await TerminateListenersAsync();

        cut.Should().BeGreaterThan(0);
        await Eventually.ReturnsAsync(
            async () => await other.Resolver.ResolveAsync("missed", "kimi"),
            p => p.Version == "v2",
            Generous,
            "the full refresh after the listener reconnected");
    }

    [Test]
    public async Task Without_notifications_the_safety_refresh_brings_a_change()
    {
        await _writer.PublishAsync("safety", "kimi", "before", "v1");
        await _writer.Manager.StoreVersionAsync(PromptHarness.Prompt("safety", "kimi", "after", "v2"));
        await using var other = PromptHarness.Create(_database.ConnectionString, o =>
        {
            o.ListenForChanges = false;
            o.RefreshInterval = TimeSpan.FromSeconds(1);
        });
        (await other.Resolver.ResolveAsync("safety", "kimi")).Version.Should().Be("v1");

        await _writer.Manager.ActivateAsync("safety", "kimi", "v2");

        await Eventually.ReturnsAsync(
            async () => await other.Resolver.ResolveAsync("safety", "kimi"),
            p => p.Version == "v2",
            Generous,
            "the safety refresh");
    }

    [Test]
    public async Task With_the_cache_disabled_every_lookup_reads_the_database()
    {
        await _writer.PublishAsync("uncached", "kimi", "first", "v1");
        await using var uncached = PromptHarness.Create(_database.ConnectionString, o => o.CacheEnabled = false);
        (await uncached.Resolver.ResolveAsync("uncached", "kimi")).Version.Should().Be("v1");

        await _database.ExecuteAsync("""
            ALTER TABLE system_prompts DISABLE TRIGGER exai_system_prompts_notify;
            INSERT INTO system_prompts (tool_name, provider, tier, prompt_content, version) VALUES ('uncached', 'kimi', 0, 'second', 'v2');
            UPDATE system_prompts SET is_active = (version = 'v2') WHERE tool_name = 'uncached';
            ALTER TABLE system_prompts ENABLE TRIGGER exai_system_prompts_notify;
            """);

        (await uncached.Resolver.ResolveAsync("uncached", "kimi")).Version.Should().Be("v2");
        uncached.Cache.Snapshot.Entries.Should().BeEmpty();
    }

    [Test]
    public void The_listener_listens_on_the_channel_the_migrations_notify()
    {
        PromptChangeListener.Channel.Should().Be(Exai.Supabase.Migrations.Internal.SupabaseSql.PromptChannel);
    }

    private async Task<int> TerminateListenersAsync()
    {
        var database = await _database.ScalarAsync<string>("SELECT current_database()::text");
        var cut = await _database.ColumnAsync<bool>(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @db AND application_name LIKE @suffix",
            ("db", database!),
            ("suffix", "%" + PromptChangeListener.SessionSuffix));
        return cut.Count(ok => ok);
    }
}

using System.Text.Json.Nodes;
using Exai.Supabase.Prompts;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Prompts;

/// <summary>Versions, activation, rollback and history against a real database. Each test works on its own tool name.</summary>
public sealed class PromptManagerTests
{
    private MigratedDatabase _database = null!;
    private PromptHarness _prompts = null!;

    private IPromptManager Manager => _prompts.Manager;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = await MigratedDatabase.CreateAsync("exai_prompts");
        _prompts = PromptHarness.Create(_database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _prompts.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Storing_identical_content_again_returns_the_existing_version_instead_of_a_duplicate()
    {
        var first = await Manager.StoreVersionAsync(PromptHarness.Prompt("dedupe", "kimi", "Find the bug.", "v1"));
        var again = await Manager.StoreVersionAsync(PromptHarness.Prompt("dedupe", "kimi", "Find the bug.", "v2"));
        var otherProvider = await Manager.StoreVersionAsync(PromptHarness.Prompt("dedupe", "glm", "Find the bug."));

        first.Created.Should().BeTrue();
        again.Created.Should().BeFalse();
        again.Version.Id.Should().Be(first.Version.Id);
        again.Version.Version.Should().Be("v1", "the existing version is returned whatever label was asked for");
        otherProvider.Created.Should().BeTrue("deduplication is per tool and provider");
        (await Count("SELECT count(*) FROM system_prompts WHERE tool_name = 'dedupe'")).Should().Be(2);
    }

    [Test]
    public async Task A_version_keeps_everything_it_was_stored_with_and_has_a_created_entry()
    {
        var stored = await Manager.StoreVersionAsync(new NewPromptVersion
        {
            Tool = "keeps",
            Provider = "kimi",
            Content = "Review the code.\nBe brief. — ünïcödé 🚀",
            Version = "2025-10-21",
            Tier = 2,
            Metadata = new JsonObject { ["source"] = "codereview_prompt.py", ["lines"] = 40 },
            Author = "alice",
            ChangeDescription = "moved from Python",
        });

        var read = (await Manager.GetVersionsAsync("keeps", "kimi")).Single();
        read.Should().BeEquivalentTo(stored.Version, o => o.Excluding(v => v.Metadata));
        read.Content.Should().Be("Review the code.\nBe brief. — ünïcödé 🚀");
        read.Tier.Should().Be(2);
        read.IsActive.Should().BeFalse("a stored version is not active until activated");
        read.Metadata!["source"]!.GetValue<string>().Should().Be("codereview_prompt.py");
        read.CreatedBy.Should().Be("alice");
        read.ContentHash.Should().HaveLength(32);
        var history = await Manager.GetHistoryAsync("keeps", "kimi");
        history.Should().ContainSingle().Which.Should().Match<PromptHistoryEntry>(h =>
            h.Action == PromptChange.Created && h.Version == "2025-10-21" && h.ChangedBy == "alice" && h.Reason == "moved from Python");
    }

    [Test]
    public async Task Versions_without_a_label_are_numbered_after_the_highest_v_label()
    {
        await Manager.StoreVersionAsync(PromptHarness.Prompt("numbered", "kimi", "one", "v7"));
        await Manager.StoreVersionAsync(PromptHarness.Prompt("numbered", "kimi", "two", "beta"));

        var next = await Manager.StoreVersionAsync(PromptHarness.Prompt("numbered", "kimi", "three"));

        next.Version.Version.Should().Be("v8");
    }

    [Test]
    public async Task A_label_taken_by_different_content_is_a_conflict_and_stores_nothing()
    {
        await Manager.StoreVersionAsync(PromptHarness.Prompt("conflict", "kimi", "original", "v1"));

        var store = () => Manager.StoreVersionAsync(PromptHarness.Prompt("conflict", "kimi", "different", "v1"));

        var error = (await store.Should().ThrowAsync<PromptVersionConflictException>()).Which;
        error.Version.Should().Be("v1");
        error.ParamName.Should().Be("version");
        (await Count("SELECT count(*) FROM system_prompts WHERE tool_name = 'conflict'")).Should().Be(1);
    }

    [Test]
    public async Task Eight_concurrent_activations_leave_exactly_one_active_version_and_a_consistent_history()
    {
        const string tool = "concurrent";
        for (var i = 1; i <= 8; i++)
        {
            await Manager.StoreVersionAsync(PromptHarness.Prompt(tool, "kimi", $"prompt number {i}", $"v{i}"));
        }

        // Eight independent callers (two instances, four each) race for the same (tool, provider).
        await using var other = PromptHarness.Create(_database.ConnectionString, start: false);
        var results = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Manager : other.Manager).ActivateAsync(tool, "kimi", $"v{i}", changedBy: $"caller-{i}"))));

        (await Count($"SELECT count(*) FROM system_prompts WHERE tool_name = '{tool}' AND is_active")).Should().Be(1);
        results.Should().OnlyContain(r => r.Changed);
        var moves = (await Manager.GetHistoryAsync(tool, "kimi")).Where(h => h.Action == PromptChange.Activated).Reverse().ToList();
        moves.Should().HaveCount(8);
        moves[0].FromPromptId.Should().BeNull("the first activation replaced nothing");
        for (var i = 1; i < moves.Count; i++)
        {
            moves[i].FromPromptId.Should().Be(moves[i - 1].PromptId, "each activation replaced the one committed before it");
        }

        var active = (await Manager.GetVersionsAsync(tool, "kimi")).Single(v => v.IsActive);
        active.Id.Should().Be(moves[^1].PromptId, "the last activation in the history is the active version");
    }

    [Test]
    public async Task Rollback_reactivates_the_previous_version_and_the_history_shows_both_moves()
    {
        const string tool = "rollback";
        var v1 = (await Manager.StoreVersionAsync(PromptHarness.Prompt(tool, "kimi", "first", "v1"))).Version;
        var v2 = (await Manager.StoreVersionAsync(PromptHarness.Prompt(tool, "kimi", "second", "v2"))).Version;
        await Manager.ActivateAsync(tool, "kimi", "v1", "alice", "initial");
        await Manager.ActivateAsync(tool, "kimi", "v2", "alice", "try the shorter one");
        (await _prompts.Resolver.ResolveAsync(tool, "kimi")).Version.Should().Be("v2");

        var rollback = await Manager.RollbackAsync(tool, "kimi", "bob", "v2 fails on long diffs");

        rollback.Should().Match<PromptActivation>(r =>
            r.Changed && r.Action == PromptChange.RolledBack && r.FromPromptId == v2.Id && r.ToPromptId == v1.Id);
        (await Manager.GetVersionsAsync(tool, "kimi")).Single(v => v.IsActive).Version.Should().Be("v1");
        (await _prompts.Resolver.ResolveAsync(tool, "kimi")).Version.Should().Be("v1", "this instance's cache is refreshed before the call returns");
        var history = await Manager.GetHistoryAsync(tool, "kimi");
        history[0].Should().Match<PromptHistoryEntry>(h =>
            h.Action == PromptChange.RolledBack && h.FromVersion == "v2" && h.Version == "v1" && h.ChangedBy == "bob" && h.Reason == "v2 fails on long diffs");
        history[1].Should().Match<PromptHistoryEntry>(h =>
            h.Action == PromptChange.Activated && h.FromVersion == "v1" && h.Version == "v2" && h.ChangedBy == "alice" && h.Reason == "try the shorter one");
    }

    [Test]
    public async Task Repeated_rollbacks_walk_back_and_stop_with_a_typed_error_at_the_first_version()
    {
        const string tool = "walkback";
        foreach (var v in new[] { "v1", "v2", "v3" })
        {
            await Manager.StoreVersionAsync(PromptHarness.Prompt(tool, "kimi", $"text of {v}", v));
            await Manager.ActivateAsync(tool, "kimi", v);
        }

        (await Manager.RollbackAsync(tool, "kimi")).ToVersion.Should().Be("v2");
        (await Manager.RollbackAsync(tool, "kimi")).ToVersion.Should().Be("v1");
        var tooFar = () => Manager.RollbackAsync(tool, "kimi");

        (await tooFar.Should().ThrowAsync<PromptNotFoundException>()).Which.Tried.Should().ContainSingle(t => t.Contains("before v1"));
        (await Manager.GetVersionsAsync(tool, "kimi")).Single(v => v.IsActive).Version.Should().Be("v1");
    }

    [Test]
    public async Task Deactivation_falls_back_and_a_rollback_restores_the_version_switched_off()
    {
        const string tool = "deactivate";
        await _prompts.PublishAsync(tool, "kimi", "kimi text", "v1");
        await _prompts.PublishAsync(tool, PromptProviders.Base, "base text", "b1");

        var off = await Manager.DeactivateAsync(tool, "kimi", "ops", "incident 42");

        off.Should().Match<PromptActivation>(a => a.Changed && a.Action == PromptChange.Deactivated && a.FromVersion == "v1" && a.ToPromptId == null);
        (await _prompts.Resolver.ResolveAsync(tool, "kimi")).Should().Match<ResolvedPrompt>(p => p.Origin == PromptOrigin.BaseProvider && p.Content == "base text");
        (await Manager.DeactivateAsync(tool, "kimi")).Changed.Should().BeFalse("nothing was active");

        (await Manager.RollbackAsync(tool, "kimi")).ToVersion.Should().Be("v1");
        (await _prompts.Resolver.ResolveAsync(tool, "kimi")).Origin.Should().Be(PromptOrigin.Active);
    }

    [Test]
    public async Task Activating_the_active_version_again_changes_nothing()
    {
        await _prompts.PublishAsync("again", "kimi", "text", "v1");
        var historyBefore = (await Manager.GetHistoryAsync("again", "kimi")).Count;

        var result = await Manager.ActivateAsync("again", "kimi", "v1");

        result.Changed.Should().BeFalse();
        (await Manager.GetHistoryAsync("again", "kimi")).Should().HaveCount(historyBefore);
    }

    [Test]
    public async Task Invalid_input_fails_with_typed_errors_before_anything_is_written()
    {
        await Manager.StoreVersionAsync(PromptHarness.Prompt("invalid", "kimi", "valid", "v1"));
        var before = await SnapshotAsync();

        var emptyTool = () => Manager.StoreVersionAsync(PromptHarness.Prompt("", "kimi", "text"));
        var tierSeven = () => Manager.StoreVersionAsync(PromptHarness.Prompt("invalid", "kimi", "text", tier: 7));
        var nul = () => Manager.StoreVersionAsync(PromptHarness.Prompt("invalid", "kimi", "before\0after"));
        var emptyContent = () => Manager.StoreVersionAsync(PromptHarness.Prompt("invalid", "kimi", "   "));
        var longTool = () => Manager.StoreVersionAsync(PromptHarness.Prompt(new string('t', 257), "kimi", "text"));
        var badMetadata = () => Manager.StoreVersionAsync(new NewPromptVersion { Tool = "invalid", Provider = "kimi", Content = "text", Metadata = new JsonObject { ["x"] = "\0" } });
        var unknownVersion = () => Manager.ActivateAsync("invalid", "kimi", "v9");
        var unknownTool = () => Manager.ActivateAsync("nowhere", "kimi", "v1");
        var unknownStatistics = () => Manager.GetStatisticsAsync("invalid", "kimi", "v9");
        var emptyProvider = () => Manager.ActivateAsync("invalid", " ", "v1");
        var nullVersion = () => Manager.ActivateAsync("invalid", "kimi", null!);
        var badLimit = () => Manager.GetHistoryAsync("invalid", "kimi", limit: 0);

        (await emptyTool.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("prompt.Tool");
        (await tierSeven.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("prompt.Tier");
        (await nul.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("NUL");
        (await emptyContent.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("prompt.Content");
        (await longTool.Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("prompt.Tool");
        (await badMetadata.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("prompt.Metadata");
        var notFound = (await unknownVersion.Should().ThrowAsync<PromptNotFoundException>()).Which;
        notFound.Version.Should().Be("v9");
        notFound.Tried.Should().ContainSingle().Which.Should().Contain("v1");
        (await unknownTool.Should().ThrowAsync<PromptNotFoundException>()).Which.Tried.Should().ContainSingle(t => t.Contains("no stored versions"));
        await unknownStatistics.Should().ThrowAsync<PromptNotFoundException>();
        (await emptyProvider.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("provider");
        (await nullVersion.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("version");
        await badLimit.Should().ThrowAsync<ArgumentOutOfRangeException>();
        (await SnapshotAsync()).Should().Be(before, "no failed call wrote anything");
    }

    [Test]
    public async Task A_user_scope_may_read_prompts_but_not_change_them()
    {
        await _prompts.PublishAsync("scoped", "kimi", "text", "v1");
        using var user = ExaiScope.Begin(ExaiScope.ForUser(Guid.NewGuid()));

        var versions = await Manager.GetVersionsAsync("scoped", "kimi");
        var store = () => Manager.StoreVersionAsync(PromptHarness.Prompt("scoped", "kimi", "user text"));
        var activate = () => Manager.DeactivateAsync("scoped", "kimi");

        versions.Should().ContainSingle();
        (await store.Should().ThrowAsync<UnauthorizedAccessException>()).Which.Message.Should().Contain("service side");
        await activate.Should().ThrowAsync<UnauthorizedAccessException>();
        (await Count("SELECT count(*) FROM system_prompts WHERE tool_name = 'scoped' AND is_active")).Should().Be(1);
    }

    private async Task<long> Count(string sql) => await _database.ScalarAsync<long>(sql);

    private async Task<string> SnapshotAsync() =>
        $"{await Count("SELECT count(*) FROM system_prompts")}/{await Count("SELECT count(*) FROM prompt_versions")}/" +
        $"{await Count("SELECT count(*) FROM system_prompts WHERE is_active")}";
}

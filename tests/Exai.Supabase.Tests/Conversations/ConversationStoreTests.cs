using System.Text.Json.Nodes;
using Exai.Supabase.Conversations;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Exai.Supabase.Tests.Conversations;

public sealed class ConversationStoreTests
{
    private MigratedDatabase _db = null!;
    private ConversationHarness _harness = null!;

    private IConversationStore Store => _harness.Store;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_conversations");
        _harness = ConversationHarness.Create(_db.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _harness.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task Get_or_create_makes_one_thread_and_later_calls_only_fill_empty_fields()
    {
        var id = ConversationHarness.Unique();
        var session = new ConversationSession { Id = Guid.NewGuid(), ClientName = "claude-desktop", ClientFingerprint = "1.2.3" };

        var created = await Store.GetOrCreateAsync(id, new ConversationThreadDetails { Session = session, Title = "first", Metadata = new JsonObject { ["a"] = 1 } });
        await _harness.Outbox.FlushAsync();
        var again = await Store.GetOrCreateAsync(id, new ConversationThreadDetails { Title = "second", Model = "kimi-k2", Metadata = new JsonObject { ["a"] = 2, ["b"] = 3 } });
        await _harness.Outbox.FlushAsync();
        var stored = await Store.GetOrCreateAsync(id);

        created.IsNew.Should().BeTrue();
        again.IsNew.Should().BeFalse();
        again.Title.Should().Be("first");
        again.Model.Should().Be("kimi-k2");
        stored.Id.Should().Be(created.Id);
        stored.Title.Should().Be("first");
        stored.Model.Should().Be("kimi-k2");
        stored.SessionId.Should().Be(session.Id);
        stored.GetMetadata()!["a"]!.GetValue<int>().Should().Be(1, "existing keys win");
        stored.GetMetadata()!["b"]!.GetValue<int>().Should().Be(3, "new keys are added");
        stored.IsPending.Should().BeFalse();
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id = @c", ("c", id))).Should().Be(1);
        (await _db.ScalarAsync<string>("SELECT client_name FROM sessions WHERE id = @s", ("s", session.Id))).Should().Be("claude-desktop");
    }

    [Test]
    public async Task A_branched_thread_names_its_parent_and_an_owner_set_in_the_service_scope()
    {
        var parent = ConversationHarness.Unique("parent");
        var child = ConversationHarness.Unique("child");
        var owner = Guid.NewGuid();
        await Store.GetOrCreateAsync(parent);

        await Store.GetOrCreateAsync(child, new ConversationThreadDetails { ParentContinuationId = parent, OwnerUserId = owner });
        await _harness.Outbox.FlushAsync();

        var stored = await Store.GetOrCreateAsync(child);
        stored.ParentContinuationId.Should().Be(parent);
        stored.UserId.Should().Be(owner);
    }

    [Test]
    public async Task Turns_are_read_back_oldest_first_with_everything_they_carried()
    {
        var id = ConversationHarness.Unique();
        var ids = Store.AppendRange(id,
        [
            ConversationTurn.System("be brief"),
            ConversationTurn.User("hello"),
            new ConversationTurn
            {
                Role = ConversationRoles.Assistant, Content = "hi", Provider = "moonshot", Model = "kimi-k2", InputTokens = 12, OutputTokens = 3,
                TokenCount = 3, ToolName = "chat", Metadata = new JsonObject { ["temperature"] = 0.3 },
            },
        ]);
        await _harness.Outbox.FlushAsync();

        var history = await Store.GetHistoryAsync(id);
        var last = await Store.GetLastAsync(id, 2);

        history.Select(m => m.Id).Should().Equal(ids);
        history.Select(m => m.Role).Should().Equal("system", "user", "assistant");
        history.Should().OnlyContain(m => !m.IsPending);
        var reply = history[2];
        (reply.Provider, reply.Model, reply.InputTokens, reply.OutputTokens, reply.TokenCount, reply.ToolName).Should().Be(("moonshot", "kimi-k2", 12, 3, 3, "chat"));
        reply.GetMetadata()!["temperature"]!.GetValue<double>().Should().Be(0.3);
        last.Select(m => m.Content).Should().Equal("hello", "hi");
    }

    [Test]
    public async Task A_process_reads_its_own_turns_at_once_and_the_database_has_them_after_the_drain()
    {
        // Batches wait a minute unless flushed, so the second turn is certainly still on its way when read.
        await using var slow = ConversationHarness.Create(_db.ConnectionString, outbox: o => o.MaxBatchAge = TimeSpan.FromMinutes(1));
        var id = ConversationHarness.Unique();
        slow.Store.Append(id, ConversationTurn.User("one"));
        await slow.Outbox.FlushAsync();

        var second = slow.Store.Append(id, ConversationTurn.Assistant("two"));
        var read = await slow.Store.GetLastAsync(id, 10);
        var inDatabase = await _db.ScalarAsync<long>("SELECT count(*) FROM messages WHERE id = @id", ("id", second));

        read.Select(m => m.Content).Should().Equal("one", "two");
        read.Single(m => m.Id == second).IsPending.Should().BeTrue();
        inDatabase.Should().Be(0);
        await slow.Outbox.FlushAsync();
        (await _db.ScalarAsync<long>("SELECT count(*) FROM messages WHERE id = @id", ("id", second))).Should().Be(1);
        await Eventually.TrueAsync(async () => (await slow.Store.GetLastAsync(id, 10)).All(m => !m.IsPending), TimeSpan.FromSeconds(10), "the pending view emptying");
        slow.Pending.Count.Should().Be(0);
    }

    [Test]
    public async Task A_pending_thread_filled_again_before_it_lands_keeps_what_it_had()
    {
        await using var slow = ConversationHarness.Create(_db.ConnectionString, outbox: o => o.MaxBatchAge = TimeSpan.FromMinutes(1));
        var id = ConversationHarness.Unique();

        await slow.Store.GetOrCreateAsync(id, new ConversationThreadDetails { Title = "kept" });
        var filled = await slow.Store.GetOrCreateAsync(id, new ConversationThreadDetails { Model = "glm-4.6" });
        var again = await slow.Store.GetOrCreateAsync(id);
        await slow.Outbox.FlushAsync();
        var stored = await slow.Store.GetOrCreateAsync(id);

        filled.IsNew.Should().BeFalse();
        (again.Title, again.Model, again.IsPending).Should().Be(("kept", "glm-4.6", true));
        (stored.Title, stored.Model, stored.IsPending).Should().Be(("kept", "glm-4.6", false));
    }

    [Test]
    public async Task Keyset_pages_have_no_gaps_or_repeats_while_turns_are_appended()
    {
        var id = ConversationHarness.Unique();
        var original = Store.AppendRange(id, Enumerable.Range(0, 95).Select(i => ConversationTurn.User($"turn {i}")).ToList());
        await _harness.Outbox.FlushAsync();

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.GetPageAsync(id, 10, cursor);
            seen.InsertRange(0, page.Messages.Select(m => m.Id));
            cursor = page.OlderCursor;
            pages++;
            // Another writer keeps appending between pages.
            Store.Append(id, ConversationTurn.Assistant($"appended during page {pages}"));
            if (pages % 3 == 0)
            {
                await _harness.Outbox.FlushAsync();
            }
        }
        while (cursor is not null);

        var appended = (await Store.GetHistoryAsync(id)).Select(m => m.Id).Except(original).ToList();
        appended.Should().HaveCount(pages);
        seen.Should().OnlyHaveUniqueItems();
        seen.Where(original.Contains).Should().Equal(original, "every original turn once, in order");
        seen.Except(original).Should().BeSubsetOf(appended, "at most the first page saw a turn appended before it");
    }

    [Test]
    public async Task The_token_budget_read_returns_the_newest_turns_that_fit_in_chronological_order()
    {
        var id = ConversationHarness.Unique();
        Store.AppendRange(id,
        [
            new ConversationTurn { Role = "user", Content = "a", TokenCount = 50 },
            new ConversationTurn { Role = "assistant", Content = "b", TokenCount = 30 },
            new ConversationTurn { Role = "user", Content = "c", TokenCount = 40 },
            new ConversationTurn { Role = "assistant", Content = "d", TokenCount = 20 },
        ]);
        await _harness.Outbox.FlushAsync();
        Store.Append(id, new ConversationTurn { Role = "user", Content = new string('e', 40) }); // pending, estimated 10 tokens

        var fits = await Store.GetWithinTokenBudgetAsync(id, 75);
        var justOne = await Store.GetWithinTokenBudgetAsync(id, 10);
        var all = await Store.GetWithinTokenBudgetAsync(id, 10_000);
        var none = await Store.GetWithinTokenBudgetAsync(id, 9);

        fits.Select(m => m.Content[..1]).Should().Equal("c", "d", "e");
        fits.Sum(m => m.EffectiveTokens).Should().Be(70);
        justOne.Select(m => m.Content[..1]).Should().Equal("e");
        all.Should().HaveCount(5);
        none.Should().BeEmpty("the newest turn alone does not fit and older ones are never skipped to");
    }

    [Test]
    public async Task A_long_thread_is_read_within_a_budget_across_several_chunks()
    {
        var id = ConversationHarness.Unique();
        Store.AppendRange(id, Enumerable.Range(0, 300).Select(i => new ConversationTurn { Role = "user", Content = $"{i}", TokenCount = 1 }).ToList());
        await _harness.Outbox.FlushAsync();

        var within = await Store.GetWithinTokenBudgetAsync(id, 250);

        within.Select(m => m.Content).Should().Equal(Enumerable.Range(50, 250).Select(i => $"{i}"));
    }

    [Test]
    public async Task Threads_of_a_session_and_of_a_user_come_most_recently_active_first()
    {
        var session = new ConversationSession { Id = Guid.NewGuid(), ClientName = "cursor" };
        var owner = Guid.NewGuid();
        var names = Enumerable.Range(0, 3).Select(i => ConversationHarness.Unique($"s{i}")).ToArray();
        foreach (var name in names)
        {
            await Store.GetOrCreateAsync(name, new ConversationThreadDetails { Session = session, OwnerUserId = owner });
        }

        await _harness.Outbox.FlushAsync();
        Store.Append(names[0], ConversationTurn.User("makes the first one the most recent"));
        await _harness.Outbox.FlushAsync();
        var fresh = ConversationHarness.Unique("fresh");
        await Store.GetOrCreateAsync(fresh, new ConversationThreadDetails { Session = session });

        var bySession = await Store.GetSessionThreadsAsync(session.Id);
        var byUser = await Store.GetUserThreadsAsync(owner, limit: 2);

        bySession.Select(t => t.ContinuationId).Should().Equal(fresh, names[0], names[2], names[1]);
        byUser.Select(t => t.ContinuationId).Should().Equal(names[0], names[2]);
    }

    [Test]
    public async Task Deleting_a_thread_removes_its_turns_and_file_links_and_it_is_gone_for_this_process_at_once()
    {
        var id = ConversationHarness.Unique();
        var fileId = await InsertFileAsync();
        Store.Append(id, new ConversationTurn { Role = "user", Content = "see the file", FileIds = [fileId] });
        Store.Append(id, ConversationTurn.Assistant("seen"));
        await _harness.Outbox.FlushAsync();
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversation_files WHERE file_id = @f", ("f", fileId))).Should().Be(1);
        var threadId = (await Store.GetOrCreateAsync(id)).Id;

        Store.Delete(id);
        var right_after = await Store.GetHistoryAsync(id);
        await _harness.Outbox.FlushAsync();

        right_after.Should().BeEmpty("this process stops seeing the thread at once");
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE id = @t", ("t", threadId))).Should().Be(0);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = @t", ("t", threadId))).Should().Be(0);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversation_files WHERE conversation_id = @t", ("t", threadId))).Should().Be(0);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = @f", ("f", fileId))).Should().Be(1, "the file itself stays");
        (await Store.GetOrCreateAsync(id)).IsNew.Should().BeTrue();
    }

    [Test]
    public async Task Turns_appended_after_a_delete_start_the_thread_afresh()
    {
        var id = ConversationHarness.Unique();
        Store.Append(id, ConversationTurn.User("old"));
        await _harness.Outbox.FlushAsync();

        Store.Delete(id);
        Store.Append(id, ConversationTurn.User("new"));
        var before = await Store.GetHistoryAsync(id);
        await _harness.Outbox.FlushAsync();
        var after = await Store.GetHistoryAsync(id);

        before.Select(m => m.Content).Should().Equal("new");
        after.Select(m => m.Content).Should().Equal("new");
    }

    [Test]
    public async Task A_file_link_waits_for_its_file_and_lands_when_the_file_arrives()
    {
        var id = ConversationHarness.Unique();
        var fileId = Guid.NewGuid();
        var message = Store.Append(id, new ConversationTurn { Role = "user", Content = "uploading", FileIds = [fileId] });

        var pendingFiles = await Store.GetFilesAsync(id);
        await Eventually.TrueAsync(() => Task.FromResult(_harness.Outbox.GetStatistics().WaitingForParent >= 1), TimeSpan.FromSeconds(30), "the link waiting for its file");
        await InsertFileAsync(fileId);
        await _harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var files = await Store.GetFilesAsync(id);

        pendingFiles.Should().ContainSingle(f => f.FileId == fileId && f.MessageId == message);
        files.Should().ContainSingle(f => f.FileId == fileId && f.MessageId == message && !f.IsPending);
    }

    [Test]
    public async Task Continuation_works_across_two_instances_and_across_a_restart()
    {
        var id = ConversationHarness.Unique();
        var spill = OutboxHarnessSpill();
        await using (var first = ConversationHarness.Create(_db.ConnectionString, spill))
        {
            await first.Store.GetOrCreateAsync(id, new ConversationThreadDetails { Title = "shared" });
            first.Store.Append(id, ConversationTurn.User("from the first instance"));
            await using var second = ConversationHarness.Create(_db.ConnectionString);
            second.Store.Append(id, ConversationTurn.Assistant("from the second instance"));
            await Task.WhenAll(first.Outbox.FlushAsync(), second.Outbox.FlushAsync());

            (await first.Store.GetHistoryAsync(id)).Select(m => m.Content).Should().Equal("from the first instance", "from the second instance");
            (await second.Store.GetOrCreateAsync(id)).Title.Should().Be("shared");
            first.Store.Append(id, ConversationTurn.User("just before the restart"));
        }

        await using var restarted = ConversationHarness.Create(_db.ConnectionString, spill);
        var history = await restarted.Store.GetHistoryAsync(id);

        history.Select(m => m.Content).Should().Equal("from the first instance", "from the second instance", "just before the restart");
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id = @c", ("c", id))).Should().Be(1);
    }

    [Test]
    public async Task In_a_user_scope_a_user_reads_only_their_own_threads_and_turns()
    {
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        var id = ConversationHarness.Unique();
        using (ExaiScope.Begin(ExaiScope.ForUser(alice)))
        {
            Store.Append(id, ConversationTurn.User("alice's secret"));
            (await Store.GetLastAsync(id, 5)).Should().ContainSingle("alice reads her own pending turn");
        }

        await _harness.Outbox.FlushAsync();
        using (ExaiScope.Begin(ExaiScope.ForUser(bob)))
        {
            (await Store.GetLastAsync(id, 5)).Should().BeEmpty("row-level security hides alice's thread and bob has nothing pending there");
            (await Store.GetUserThreadsAsync(alice)).Should().BeEmpty();
        }

        using (ExaiScope.Begin(ExaiScope.ForUser(alice)))
        {
            (await Store.GetLastAsync(id, 5)).Select(m => m.Content).Should().Equal("alice's secret");
            (await Store.GetUserThreadsAsync(alice)).Select(t => t.ContinuationId).Should().Contain(id);
        }
    }

    [Test]
    public async Task Bad_input_is_refused_with_typed_errors_and_nothing_is_queued()
    {
        var recorded = _harness.Outbox.GetStatistics().Recorded;

        FluentActions.Invoking(() => Store.Append("", ConversationTurn.User("x"))).Should().Throw<InvalidContinuationIdException>().Which.ParamName.Should().Be("continuationId");
        FluentActions.Invoking(() => Store.Append("   ", ConversationTurn.User("x"))).Should().Throw<InvalidContinuationIdException>();
        FluentActions.Invoking(() => Store.Append(new string('x', 257), ConversationTurn.User("x"))).Should().Throw<InvalidContinuationIdException>()
            .WithMessage("*257*256*");
        FluentActions.Invoking(() => Store.Append("a\0b", ConversationTurn.User("x"))).Should().Throw<InvalidContinuationIdException>();
        FluentActions.Invoking(() => Store.Append(null!, ConversationTurn.User("x"))).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => Store.Append("ok", new ConversationTurn { Role = "critic", Content = "x" })).Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("*critic*");
        FluentActions.Invoking(() => Store.Append("ok", ConversationTurn.User("nul \0 inside"))).Should().Throw<ArgumentException>()
            .Which.ParamName.Should().Be("turn.Content");
        FluentActions.Invoking(() => Store.Append("ok", new ConversationTurn { Role = "user", TokenCount = -1 })).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Store.AppendRange("ok", [ConversationTurn.User("fine"), new ConversationTurn { Role = "nobody" }])).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Store.Delete("")).Should().Throw<InvalidContinuationIdException>();
        await FluentActions.Awaiting(() => Store.GetLastAsync("ok", 0)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => Store.GetPageAsync("ok", 10, "not-a-cursor")).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(async () => await Store.GetOrCreateAsync(new string('y', 300))).Should().ThrowAsync<InvalidContinuationIdException>();
        await FluentActions.Awaiting(async () => await Store.GetOrCreateAsync("ok", new ConversationThreadDetails { Title = "nul\0" })).Should().ThrowAsync<ArgumentException>();

        _harness.Outbox.GetStatistics().Recorded.Should().Be(recorded, "nothing reached the outbox, not even the valid first turn of the range");
        Store.Append("Role names are matched without regard to case", new ConversationTurn { Role = "USER", Content = "x" }).Should().NotBeEmpty();
    }

    [Test]
    public void Invalid_options_fail_at_start_naming_the_option()
    {
        var options = new ExaiSupabaseOptions { ConnectionString = "Host=localhost" };
        options.Conversations.SlidingExpiration = TimeSpan.Zero;
        options.Conversations.CleanupBatchSize = 0;

        var result = new Exai.Supabase.DependencyInjection.Internal.ExaiSupabaseOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("Conversations.SlidingExpiration").And.Contain("Conversations.CleanupBatchSize");
    }

    [Test]
    public async Task Turns_sort_in_this_process_exactly_as_PostgreSQL_sorts_them()
    {
        var at = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToList();

        var inDatabase = await _db.ColumnAsync<Guid>("SELECT id FROM unnest(@ids) AS t(id) ORDER BY id", ("ids", ids.ToArray()));
        var here = ids.Select(id => new ConversationMessage { Id = id, ContinuationId = "x", Role = "user", CreatedAt = at }).ToList();
        here.Sort(Exai.Supabase.Conversations.Internal.MessageOrder.Ascending);

        here.Select(m => m.Id).Should().Equal(inDatabase);
    }

    [Test]
    public async Task A_host_migrates_keeps_a_thread_over_a_graceful_restart_and_runs_the_clean_up_as_a_hosted_service()
    {
        await using var empty = await MigratedDatabase.CreateAsync("exai_conversation_host", migrate: false);
        var id = ConversationHarness.Unique();
        var spill = OutboxHarness.NewSpillRoot();
        void Configure(IServiceCollection services) => services.Configure<ExaiSupabaseOptions>(o => o.Outbox.SpillDirectory = spill);
        using (var host = TestHosts.Build(empty.ConnectionString, configureServices: Configure))
        {
            await host.StartAsync();
            var store = host.Services.GetRequiredService<IConversationStore>();
            (await store.GetOrCreateAsync(id, new ConversationThreadDetails { Title = "hosted" })).IsNew.Should().BeTrue();
            store.Append(id, ConversationTurn.User("before the restart"));
            await host.StopAsync();
        }

        using var again = TestHosts.Build(empty.ConnectionString, configureServices: Configure);
        await again.StartAsync();
        var restarted = again.Services.GetRequiredService<IConversationStore>();
        var history = await Eventually.ReturnsAsync(() => restarted.GetHistoryAsync(id), h => h.Count == 1, TimeSpan.FromSeconds(60), "the thread after the restart");
        var thread = await restarted.GetOrCreateAsync(id);
        await again.StopAsync();

        history.Select(m => m.Content).Should().Equal("before the restart");
        thread.Title.Should().Be("hosted");
        again.Services.GetServices<IHostedService>().OfType<Exai.Supabase.Conversations.Internal.ConversationCleanupService>().Should().ContainSingle();
    }

    private static string OutboxHarnessSpill() => OutboxHarness.NewSpillRoot();

    private async Task<Guid> InsertFileAsync(Guid? id = null)
    {
        var fileId = id ?? Guid.NewGuid();
        await _db.ExecuteAsync($"INSERT INTO files (id, storage_path) VALUES ('{fileId}', 'test/{fileId}')");
        return fileId;
    }
}

using Exai.Supabase.Conversations;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Conversations;

/// <summary>Threads while the database is down: each test on a private server it may stop and start.</summary>
public sealed class ConversationOutageTests
{
    private PostgresServer _server = null!;
    private string _connectionString = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        _server = await PostgresServer.StartPrivateAsync();
        _connectionString = await _server.CreateDatabaseAsync("exai_conversation_outage");
        await MigratedDatabase.MigrateAsync(_connectionString);
    }

    [TearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    [Test]
    public async Task A_thread_read_before_the_outage_continues_while_the_database_is_stopped_and_lands_when_it_is_back()
    {
        await using var harness = ConversationHarness.Create(_connectionString);
        var id = ConversationHarness.Unique();
        var before = Enumerable.Range(0, 5).Select(i => harness.Store.Append(id, ConversationTurn.User($"before {i}"))).ToList();
        await harness.Outbox.FlushAsync();
        (await harness.Store.GetLastAsync(id, 50)).Should().HaveCount(5);

        await _server.StopAsync(immediate: true);
        var thread = await harness.Store.GetOrCreateAsync(id);
        var during = harness.Store.Append(id, ConversationTurn.Assistant("during the outage"));
        var last = await harness.Store.GetLastAsync(id, 50);
        var lastTwo = await harness.Store.GetLastAsync(id, 2);
        var page = await harness.Store.GetPageAsync(id, 4);
        var budget = await harness.Store.GetWithinTokenBudgetAsync(id, 1_000);

        thread.IsNew.Should().BeFalse("the thread is known from the cache");
        last.Select(m => m.Id).Should().Equal([.. before, during]);
        last[^1].IsPending.Should().BeTrue();
        lastTwo.Select(m => m.Id).Should().Equal(before[^1], during);
        page.FromLocalView.Should().BeTrue();
        page.Messages.Select(m => m.Id).Should().Equal(before[2], before[3], before[4], during);
        budget.Should().HaveCount(6);

        await _server.StartAsync();
        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(120));
        await using var other = ConversationHarness.Create(_connectionString);
        var seenElsewhere = await other.Store.GetHistoryAsync(id);
        seenElsewhere.Select(m => m.Id).Should().Equal([.. before, during], "another instance sees the turn once it has landed");
        seenElsewhere.Should().OnlyContain(m => !m.IsPending);
    }

    [Test]
    public async Task A_new_thread_is_created_and_read_back_while_the_database_is_down_and_long_outages_spill_without_losing_the_view()
    {
        await using var harness = ConversationHarness.Create(_connectionString);
        var id = ConversationHarness.Unique();
        await _server.StopAsync(immediate: true);

        var created = await harness.Store.GetOrCreateAsync(id, new ConversationThreadDetails { Title = "offline" });
        harness.Store.AppendRange(id, [ConversationTurn.User("q1"), ConversationTurn.Assistant("a1")]);
        await Eventually.TrueAsync(() => Task.FromResult(harness.Outbox.GetStatistics().Spilled >= 3), TimeSpan.FromSeconds(30), "the records spilling");
        harness.Store.Append(id, ConversationTurn.User("q2"));
        var read = await harness.Store.GetHistoryAsync(id);

        created.IsNew.Should().BeTrue();
        created.Title.Should().Be("offline");
        read.Select(m => m.Content).Should().Equal("q1", "a1", "q2");

        await _server.StartAsync();
        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(120));
        harness.Outbox.GetStatistics().Replayed.Should().BeGreaterThanOrEqualTo(3);
        await Eventually.TrueAsync(() => Task.FromResult(harness.Pending.Count == 0 && harness.Pending.Threads == 0), TimeSpan.FromSeconds(10),
            "records replayed from the spill leaving the pending view (their kinds re-attached them)");
        (await harness.Store.GetHistoryAsync(id)).Select(m => (m.Content, m.IsPending)).Should().Equal(("q1", false), ("a1", false), ("q2", false));
        (await harness.Store.GetOrCreateAsync(id)).Title.Should().Be("offline");
    }

    [Test]
    public async Task A_thread_this_process_never_saw_cannot_be_read_while_the_database_is_down()
    {
        await using var harness = ConversationHarness.Create(_connectionString);
        var id = ConversationHarness.Unique();
        await using (var writer = ConversationHarness.Create(_connectionString))
        {
            writer.Store.Append(id, ConversationTurn.User("written elsewhere"));
            await writer.Outbox.FlushAsync();
        }

        await _server.StopAsync(immediate: true);

        var read = () => harness.Store.GetLastAsync(id, 10);
        (await read.Should().ThrowAsync<ConversationUnavailableException>()).Which.InnerException.Should().BeAssignableTo<Exception>();
        await _server.StartAsync();
        var afterRestart = await Eventually.ReturnsAsync(() => harness.Store.GetLastAsync(id, 10), r => r.Count == 1, TimeSpan.FromSeconds(30), "reads reaching the database again");
        afterRestart[0].Content.Should().Be("written elsewhere");
    }

    [Test]
    public async Task A_read_gives_up_on_an_unresponsive_database_after_the_read_timeout_and_serves_the_cache()
    {
        await using var harness = ConversationHarness.Create(_connectionString, conversations: o => o.ReadTimeout = TimeSpan.FromMilliseconds(500));
        var id = ConversationHarness.Unique();
        harness.Store.Append(id, ConversationTurn.User("cached"));
        await harness.Outbox.FlushAsync();
        (await harness.Store.GetLastAsync(id, 10)).Should().HaveCount(1);
        await using var locker = NpgsqlDataSource.Create(_connectionString);
        await using var connection = await locker.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("LOCK TABLE conversations IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var read = await harness.Store.GetLastAsync(id, 10);
        watch.Stop();

        read.Select(m => m.Content).Should().Equal("cached");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        await transaction.RollbackAsync();
    }
}

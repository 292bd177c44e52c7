using Exai.Supabase.Conversations;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Exai.Supabase.Tests.Conversations;

/// <summary>
/// <see cref="IConversationStore.WatchAsync"/>: turns appended by another instance arrive through the change feed. On
/// a private server: creating a logical slot waits for every transaction running anywhere on the cluster, which the
/// shared server's other fixtures keep busy.
/// </summary>
public sealed class ConversationWatchTests
{
    private PostgresServer _server = null!;
    private string _connectionString = null!;
    private NpgsqlDataSource _db = null!;

    [OneTimeSetUp]
    public async Task StartServerAsync()
    {
        _server = await PostgresServer.StartPrivateAsync();
        _connectionString = await _server.CreateDatabaseAsync("exai_conversation_watch");
        await MigratedDatabase.MigrateAsync(_connectionString);
        _db = NpgsqlDataSource.Create(_connectionString);
    }

    [OneTimeTearDown]
    public async Task StopServerAsync()
    {
        await _db.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task A_watcher_on_one_instance_sees_each_turn_another_instance_appends_once_in_order_and_no_earlier_or_foreign_turn()
    {
        await using var writer = ConversationHarness.Create(_connectionString);
        await using var reader = ConversationHarness.Create(_connectionString);
        var id = ConversationHarness.Unique("watch");
        var other = ConversationHarness.Unique("watch-other");
        await writer.Store.GetOrCreateAsync(id);
        writer.Store.Append(id, ConversationTurn.User("before the watch"));
        await writer.Outbox.FlushAsync();

        var slotsBefore = await SlotNamesAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var watched = reader.Store.WatchAsync(id, stop.Token).Take(3).ToListAsync(stop.Token).AsTask();
        await WaitForNewSlotAsync(slotsBefore);

        writer.Store.Append(id, ConversationTurn.User("first"));
        writer.Store.Append(other, ConversationTurn.User("not this thread"));
        writer.Store.AppendRange(id, [ConversationTurn.Assistant("second"), ConversationTurn.User("third")]);
        await writer.Outbox.FlushAsync();

        var turns = await Diagnosed(watched);
        turns.Select(t => t.Content).Should().Equal("first", "second", "third");
        turns.Should().OnlyContain(t => t.ContinuationId == id);
        turns.Select(t => t.Id).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task Turns_committed_while_the_slot_is_being_created_arrive_through_the_resync()
    {
        await using var writer = ConversationHarness.Create(_connectionString);
        await using var reader = ConversationHarness.Create(_connectionString);
        var id = ConversationHarness.Unique("watch-early");
        await writer.Store.GetOrCreateAsync(id);
        await writer.Outbox.FlushAsync();
        // A logical slot becomes consistent only once the transactions running when it was asked for have ended:
        // this one holds it back while the turns below commit, so the slot never decodes them.
        await using var blocker = await _db.OpenConnectionAsync();
        await using var open = await blocker.BeginTransactionAsync();
        await using (var xid = new NpgsqlCommand("SELECT txid_current()", blocker, open))
        {
            await xid.ExecuteScalarAsync();
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watched = reader.Store.WatchAsync(id, stop.Token).Take(2).ToListAsync(stop.Token).AsTask();
        await Eventually.TrueAsync(
            async () => (long)(await _db.CreateCommand("SELECT count(*) FROM pg_replication_slots WHERE database = current_database()").ExecuteScalarAsync())! > 0,
            TimeSpan.FromSeconds(30),
            "the reader asking for its slot");
        writer.Store.AppendRange(id, [ConversationTurn.User("early one"), ConversationTurn.Assistant("early two")]);
        await writer.Outbox.FlushAsync();
        watched.IsCompleted.Should().BeFalse("the slot is still waiting for the open transaction");
        await open.CommitAsync();

        (await Diagnosed(watched)).Select(t => t.Content).Should().Equal("early one", "early two");
    }

    [Test]
    public async Task A_watcher_joining_a_running_stream_misses_nothing_appended_after_it_started()
    {
        await using var writer = ConversationHarness.Create(_connectionString);
        await using var reader = ConversationHarness.Create(_connectionString);
        var first = ConversationHarness.Unique("watch-first");
        var second = ConversationHarness.Unique("watch-second");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var firstWatch = reader.Store.WatchAsync(first, stop.Token).Take(1).ToListAsync(stop.Token).AsTask();
        writer.Store.Append(first, ConversationTurn.User("opens the stream"));
        await writer.Outbox.FlushAsync();
        (await Diagnosed(firstWatch)).Single().Content.Should().Be("opens the stream");
        // The first watcher is done; a second keeps the shared stream running while a third joins it.
        var keepAlive = reader.Store.WatchAsync(first, stop.Token).ToListAsync(stop.Token).AsTask();

        var secondWatch = reader.Store.WatchAsync(second, stop.Token).Take(1).ToListAsync(stop.Token).AsTask();
        writer.Store.Append(second, ConversationTurn.User("right after joining"));
        await writer.Outbox.FlushAsync();

        (await Diagnosed(secondWatch)).Single().Content.Should().Be("right after joining");
        await stop.CancelAsync();
        await keepAlive.ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    [Test]
    public async Task A_turn_recorded_after_the_start_but_landed_before_the_first_read_comes_at_once_and_an_older_one_does_not()
    {
        await using var writer = ConversationHarness.Create(_connectionString);
        var id = ConversationHarness.Unique("watch-start");
        writer.Store.Append(id, ConversationTurn.User("recorded before the start"));
        await writer.Outbox.FlushAsync();
        // The reader's clock stops between the two recordings, so its watch starts after the first and before the
        // second, although both have landed by the time it first reads the thread.
        await Task.Delay(TimeSpan.FromMilliseconds(5));
        var start = TimeProvider.System.GetUtcNow();
        await Task.Delay(TimeSpan.FromMilliseconds(5));
        writer.Store.Append(id, ConversationTurn.Assistant("recorded after the start"));
        await writer.Outbox.FlushAsync();
        await using var reader = ConversationHarness.Create(_connectionString, time: new FakeTimeProvider(start));

        var slotsBefore = await SlotNamesAsync();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var watched = reader.Store.WatchAsync(id, stop.Token).Take(2).ToListAsync(stop.Token).AsTask();
        await WaitForNewSlotAsync(slotsBefore);
        writer.Store.Append(id, ConversationTurn.User("live"));
        await writer.Outbox.FlushAsync();

        (await Diagnosed(watched)).Select(t => t.Content).Should().Equal("recorded after the start", "live");
    }

    /// <summary>
    /// The watch's turns; when it runs out of time, the failure says what the server was doing: each slot with its
    /// walsender's state and wait, and every other session's transaction (a slot is created only once the
    /// transactions running when it was asked for have ended).
    /// </summary>
    private async Task<List<ConversationMessage>> Diagnosed(Task<List<ConversationMessage>> watch)
    {
        try
        {
            return await watch;
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"The watch got nothing more before its deadline. {await ServerStateAsync()}", ex);
        }
    }

    /// <summary>What the server is doing: each slot with its walsender's state and wait, and every other session's transaction.</summary>
    private async Task<string> ServerStateAsync()
    {
        var state = await TextsAsync(
            "SELECT 'slot ' || s.slot_name || ' active=' || s.active::text || ' restart=' || coalesce(s.restart_lsn::text, '-') || ' confirmed=' || coalesce(s.confirmed_flush_lsn::text, '-') " +
            "       || ' walsender=' || coalesce(a.state, '-') || ' ' || coalesce(a.wait_event_type, '') || '/' || coalesce(a.wait_event, '') || ' q=' || coalesce(left(a.query, 80), '') " +
            "FROM pg_replication_slots s LEFT JOIN pg_stat_activity a ON a.pid = s.active_pid " +
            "UNION ALL SELECT 'session ' || a.pid || ' ' || coalesce(a.backend_type, '') || ' ' || coalesce(a.state, '') || ' xid=' || coalesce(a.backend_xid::text, '-') " +
            "       || ' since=' || coalesce(to_char(a.xact_start, 'HH24:MI:SS.MS'), '-') || ' ' || coalesce(a.wait_event_type, '') || '/' || coalesce(a.wait_event, '') || ' q=' || coalesce(left(a.query, 80), '') " +
            "FROM pg_stat_activity a WHERE a.pid <> pg_backend_pid() AND a.backend_type IN ('client backend', 'walsender')");
        return $"Server state at {DateTimeOffset.UtcNow:HH:mm:ss.fff}: {string.Join(" | ", state)}";
    }

    private async Task<HashSet<string>> SlotNamesAsync() =>
        new(await TextsAsync("SELECT slot_name::text FROM pg_replication_slots"), StringComparer.Ordinal);

    /// <summary>
    /// Waits for the watch's own slot: one not there before it started, streaming (active) and consistent (it has a
    /// confirmed position). A previous test's slot can still show active while its connection closes, and a slot being
    /// created is active before it is consistent. Creation waits for every transaction then running on the server (in
    /// any database, from fixtures running in parallel), hence the long deadline and the server's state on timeout.
    /// </summary>
    private async Task WaitForNewSlotAsync(HashSet<string> before)
    {
        try
        {
            await Eventually.TrueAsync(
                async () => (await ReadySlotNamesAsync()).Any(name => !before.Contains(name)),
                TimeSpan.FromSeconds(90),
                "the watch's change-feed slot becoming active and consistent");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} {await ServerStateAsync()}", ex);
        }
    }

    private Task<List<string>> ReadySlotNamesAsync() =>
        TextsAsync("SELECT slot_name::text FROM pg_replication_slots WHERE database = current_database() AND active AND confirmed_flush_lsn IS NOT NULL");

    private async Task<List<string>> TextsAsync(string sql)
    {
        await using var command = _db.CreateCommand(sql);
        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }

    [Test]
    public async Task An_invalid_continuation_id_is_refused_at_the_call()
    {
        await using var harness = ConversationHarness.Create(_connectionString);
        var watch = () => harness.Store.WatchAsync(" ");
        watch.Should().Throw<InvalidContinuationIdException>();
    }
}

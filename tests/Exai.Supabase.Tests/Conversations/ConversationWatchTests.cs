using Exai.Supabase.Conversations;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;
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

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watched = reader.Store.WatchAsync(id, stop.Token).Take(3).ToListAsync(stop.Token).AsTask();
        await Eventually.TrueAsync(
            async () => (long)(await _db.CreateCommand("SELECT count(*) FROM pg_replication_slots WHERE database = current_database() AND active").ExecuteScalarAsync())! > 0,
            TimeSpan.FromSeconds(30),
            "the reader's change-feed slot becoming active");

        writer.Store.Append(id, ConversationTurn.User("first"));
        writer.Store.Append(other, ConversationTurn.User("not this thread"));
        writer.Store.AppendRange(id, [ConversationTurn.Assistant("second"), ConversationTurn.User("third")]);
        await writer.Outbox.FlushAsync();

        var turns = await watched;
        turns.Select(t => t.Content).Should().Equal("first", "second", "third");
        turns.Should().OnlyContain(t => t.ContinuationId == id);
        turns.Select(t => t.Id).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public async Task An_invalid_continuation_id_is_refused_at_the_call()
    {
        await using var harness = ConversationHarness.Create(_connectionString);
        var watch = () => harness.Store.WatchAsync(" ");
        watch.Should().Throw<InvalidContinuationIdException>();
    }
}

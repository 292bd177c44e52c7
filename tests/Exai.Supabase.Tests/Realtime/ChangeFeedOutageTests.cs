using Exai.Supabase.Realtime;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Realtime;

/// <summary>Server restarts under a running change feed: each test on a private server it may stop and start.</summary>
public sealed class ChangeFeedOutageTests
{
    private PostgresServer _server = null!;
    private string _connectionString = null!;
    private NpgsqlDataSource _db = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        _server = await PostgresServer.StartPrivateAsync();
        _connectionString = await _server.CreateDatabaseAsync("exai_realtime_outage");
        await MigratedDatabase.MigrateAsync(_connectionString);
        _db = NpgsqlDataSource.Create(_connectionString);
    }

    [TearDown]
    public async Task StopServerAsync()
    {
        await _db.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task A_permanent_slot_resumes_after_server_restarts_and_loses_nothing()
    {
        await using var harness = RealtimeHarness.Create(_connectionString);
        var slot = RealtimeHarness.NewSlotName();
        var ranks = new List<int>();

        // A live subscriber rides out a clean restart: it reconnects to its slot and goes on.
        var live = new RealtimeHarness.Collector(harness.Feed.SubscribeAsync(new ChangeFeedSubscription("issues") { SlotName = slot }));
        await RealtimeHarness.WaitForActiveSlotAsync(_db, slot, prefix: false);
        await InsertAsync(0, 50);
        await CollectAsync(live, ranks, 50);
        await _server.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await _server.StartAsync();
        _db.Clear();
        await InsertAsync(50, 100);
        await CollectAsync(live, ranks, 100);
        TestLoggerProvider.Instance.Lines.Should().Contain(l => l.Message.Contains($"reconnected on slot {slot}", StringComparison.Ordinal));
        await live.DisposeAsync();

        // Changes committed while nobody listens, then a crash of the server: the next subscriber resumes from the slot.
        await InsertAsync(100, 150);
        await _server.StopAsync(immediate: true);
        await _server.StartAsync();
        _db.Clear();
        await using var resumed = new RealtimeHarness.Collector(harness.Feed.SubscribeAsync(new ChangeFeedSubscription("issues") { SlotName = slot }));
        await CollectAsync(resumed, ranks, 150);

        ranks.Distinct().Order().Should().Equal(Enumerable.Range(0, 150), "every committed change arrives, across both restarts");
        ranks.Distinct().Should().BeInAscendingOrder("changes arrive in commit order");
        ranks.Take(100).Should().Equal(Enumerable.Range(0, 100), "a clean restart under a live subscriber neither loses nor repeats");
    }

    private static async Task CollectAsync(RealtimeHarness.Collector collector, List<int> ranks, int distinct)
    {
        var seen = new HashSet<int>(ranks);
        while (seen.Count < distinct)
        {
            var rank = (int)(await collector.NextAsync(TimeSpan.FromSeconds(90))).NewValues["rank"]!;
            ranks.Add(rank);
            seen.Add(rank);
        }
    }

    [Test]
    public async Task A_temporary_slot_reconnects_after_a_restart_on_a_new_slot_and_says_there_was_a_gap()
    {
        await using var harness = RealtimeHarness.Create(_connectionString);
        await using var collector = harness.Start(new ChangeFeedSubscription("issues"));
        await RealtimeHarness.WaitForActiveSlotAsync(_db, harness.Prefix);
        var firstSlot = await SlotNamesAsync(harness.Prefix);
        await InsertAsync(0, 1);
        (await collector.NextAsync()).Kind.Should().Be(ChangeKind.Insert);

        await _server.StopAsync();
        await _server.StartAsync();
        _db.Clear();
        await RealtimeHarness.WaitForActiveSlotAsync(_db, harness.Prefix);

        (await collector.NextAsync()).Kind.Should().Be(ChangeKind.Gap);
        (await SlotNamesAsync(harness.Prefix)).Should().NotIntersectWith(firstSlot, "a temporary slot does not survive its connection");
        await InsertAsync(1, 2);
        var after = await collector.NextAsync();
        after.Kind.Should().Be(ChangeKind.Insert);
        after.NewValues["rank"].Should().Be(1);
    }

    private async Task InsertAsync(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            await using var command = _db.CreateCommand("INSERT INTO issues (title, rank) VALUES ('outage', @rank)");
            command.Parameters.AddWithValue("rank", i);
            await command.ExecuteNonQueryAsync();
        }
    }

    private async Task<List<string>> SlotNamesAsync(string prefix)
    {
        await using var command = _db.CreateCommand("SELECT slot_name::text FROM pg_replication_slots WHERE slot_name LIKE @p || '%'");
        command.Parameters.AddWithValue("p", prefix);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}

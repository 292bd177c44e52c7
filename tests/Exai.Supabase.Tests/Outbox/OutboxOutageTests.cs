using System.Buffers.Binary;
using Exai.Supabase.Migrations;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Outbox;

/// <summary>Outages, crashes and caps: each test on a private server it may stop and start.</summary>
public sealed class OutboxOutageTests
{
    private PostgresServer _server = null!;
    private string _connectionString = null!;

    [SetUp]
    public async Task StartServerAsync()
    {
        _server = await PostgresServer.StartPrivateAsync();
        _connectionString = await _server.CreateDatabaseAsync("exai_outage");
        await MigratedDatabase.MigrateAsync(_connectionString);
    }

    [TearDown]
    public async Task StopServerAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Every_record_is_persisted_once_when_the_server_stops_mid_stream_and_comes_back()
    {
        await using var harness = OutboxHarness.Create(_connectionString);
        for (var i = 0; i < 3_000; i++)
        {
            harness.Processor.Record(OutboxHarness.Message($"outage-{i % 40}", $"message {i}"));
        }

        await Eventually.TrueAsync(async () => await CountAsync("SELECT count(*) FROM messages") > 0, TimeSpan.FromSeconds(30), "the first batches landing");
        await _server.StopAsync(immediate: true);
        for (var i = 3_000; i < 6_000; i++)
        {
            harness.Processor.Record(OutboxHarness.Message($"outage-{i % 40}", $"message {i}"));
        }

        await Eventually.TrueAsync(() => Task.FromResult(harness.Outbox.GetStatistics().Spilled > 0), TimeSpan.FromSeconds(30), "records spilling during the outage");
        harness.Outbox.GetStatistics().DatabaseAvailable.Should().BeFalse();
        await _server.StartAsync();
        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(120));

        (await CountAsync("SELECT count(*) FROM messages")).Should().Be(6_000);
        (await CountAsync("SELECT count(DISTINCT content) FROM messages")).Should().Be(6_000);
        harness.Outbox.GetStatistics().DeadLettered.Should().Be(0);
    }

    [Test]
    public async Task Records_spilled_before_a_crash_are_replayed_by_the_next_instance_without_duplicates()
    {
        var spill = OutboxHarness.NewSpillRoot();
        await _server.StopAsync();
        var crashed = OutboxHarness.Create(_connectionString, spill);
        for (var i = 0; i < 1_000; i++)
        {
            crashed.Processor.Record(OutboxHarness.Message("crash", $"before the crash {i}"));
        }

        await Eventually.TrueAsync(() => Task.FromResult(crashed.Outbox.GetStatistics().Spilled == 1_000), TimeSpan.FromSeconds(30), "every record reaching the spill");
        await crashed.CrashAsync();
        await _server.StartAsync();

        await using var next = OutboxHarness.Create(_connectionString, spill);
        next.Processor.Record(OutboxHarness.Message("crash", "after the crash"));
        await next.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await CountAsync("SELECT count(*) FROM messages")).Should().Be(1_001);
        (await CountAsync("SELECT count(DISTINCT content) FROM messages")).Should().Be(1_001);
        next.Outbox.GetStatistics().Replayed.Should().Be(1_000);
        Directory.GetFiles(spill, "*.seg", SearchOption.AllDirectories).Should().BeEmpty("replayed segments are deleted");
    }

    [Test]
    public async Task A_new_instance_adopts_the_folder_of_a_dead_one_and_leaves_a_live_ones_alone()
    {
        var spill = OutboxHarness.NewSpillRoot();
        await _server.StopAsync();
        await using var alive = OutboxHarness.Create(_connectionString, spill);
        var dead = OutboxHarness.Create(_connectionString, spill);
        for (var i = 0; i < 200; i++)
        {
            alive.Processor.Record(OutboxHarness.Message("alive", $"alive {i}"));
            dead.Processor.Record(OutboxHarness.Message("dead", $"dead {i}"));
        }

        await Eventually.TrueAsync(
            () => Task.FromResult(alive.Outbox.GetStatistics().Spilled == 200 && dead.Outbox.GetStatistics().Spilled == 200),
            TimeSpan.FromSeconds(30),
            "both instances spilling");
        await dead.CrashAsync();
        var aliveFolder = alive.Processor.SpillFolder!;
        var aliveSegments = Directory.GetFiles(aliveFolder, "*.seg");

        await using var adopter = OutboxHarness.Create(_connectionString, spill);

        Directory.GetFiles(aliveFolder, "*.seg").Should().BeEquivalentTo(aliveSegments, "a live process keeps its own segments");
        Directory.GetFiles(adopter.Processor.SpillFolder!, "*.seg").Should().NotBeEmpty("the dead process's segments moved to the adopter");
        await _server.StartAsync();
        await Task.WhenAll(adopter.Outbox.FlushAsync(), alive.Outbox.FlushAsync()).WaitAsync(TimeSpan.FromSeconds(120));
        (await CountAsync("SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id = 'dead'")).Should().Be(200);
        (await CountAsync("SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id = 'alive'")).Should().Be(200);
    }

    [Test]
    public async Task A_graceful_shutdown_with_the_database_down_spills_and_the_next_start_persists()
    {
        var spill = OutboxHarness.NewSpillRoot();
        await _server.StopAsync();
        var first = OutboxHarness.Create(_connectionString, spill);
        for (var i = 0; i < 300; i++)
        {
            first.Processor.Record(OutboxHarness.Message("shutdown", $"held {i}"));
        }

        await first.DisposeAsync();
        Directory.GetFiles(spill, "*.seg", SearchOption.AllDirectories).Should().NotBeEmpty();
        await _server.StartAsync();
        await using var second = OutboxHarness.Create(_connectionString, spill);
        await second.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await CountAsync("SELECT count(*) FROM messages")).Should().Be(300);
    }

    [Test]
    public async Task Memory_and_spill_caps_hold_while_the_database_is_down_and_overflow_is_counted()
    {
        await _server.StopAsync();
        await using var harness = OutboxHarness.Create(_connectionString, configure: o =>
        {
            o.MaxQueuedRecords = 1_000;
            o.MaxBatchRecords = 500;
            o.MaxSpillBytes = 1024 * 1024;
            o.SpillSegmentBytes = 256 * 1024;
        });
        for (var i = 0; i < 20_000; i++)
        {
            harness.Processor.Record(OutboxHarness.Message("caps", new string('x', 200) + i));
        }

        await Eventually.TrueAsync(() => Task.FromResult(harness.Outbox.GetStatistics().SpillBytes > 900 * 1024), TimeSpan.FromSeconds(30), "the spill filling to its budget");
        var statistics = harness.Outbox.GetStatistics();
        statistics.QueueDepth.Should().BeLessThanOrEqualTo(2_000 + 64, "memory holds at most twice its cap, plus one spill chunk");
        statistics.SpillBytes.Should().BeLessThanOrEqualTo(1024 * 1024);
        statistics.Dropped.Should().ContainKey(OutboxCounters.Full);
        (statistics.Dropped[OutboxCounters.Full] + statistics.Recorded).Should().Be(20_000);
    }

    [Test]
    public async Task Flush_waits_through_an_outage_and_completes_when_the_database_is_back()
    {
        await using var harness = OutboxHarness.Create(_connectionString);
        await _server.StopAsync();
        harness.Processor.Record(OutboxHarness.Message("flush", "waits"));

        var flush = harness.Outbox.FlushAsync();
        await Task.WhenAny(flush, Task.Delay(TimeSpan.FromMilliseconds(500)));
        flush.IsCompleted.Should().BeFalse("the record is not in the database yet");
        await _server.StartAsync();
        await flush.WaitAsync(TimeSpan.FromSeconds(60));

        (await CountAsync("SELECT count(*) FROM messages")).Should().Be(1);
    }

    [Test]
    public async Task Records_wait_for_the_schema_and_land_once_it_is_migrated()
    {
        var unmigrated = await _server.CreateDatabaseAsync("exai_unmigrated");
        await using var harness = OutboxHarness.Create(unmigrated);
        harness.Processor.Record(OutboxHarness.Message("schema", "early"));
        await Eventually.TrueAsync(() => Task.FromResult(harness.Outbox.GetStatistics().Retries > 0), TimeSpan.FromSeconds(30), "a landing attempt meeting the missing table");

        await MigratedDatabase.MigrateAsync(unmigrated);
        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        await using var db = NpgsqlDataSource.Create(unmigrated);
        await using var count = db.CreateCommand("SELECT count(*) FROM messages");
        ((long)(await count.ExecuteScalarAsync())!).Should().Be(1);
        harness.Outbox.GetStatistics().DeadLettered.Should().Be(0);
    }

    [Test]
    public async Task A_torn_last_record_of_a_dead_process_is_skipped_and_counted_and_the_rest_land()
    {
        var spill = OutboxHarness.NewSpillRoot();
        await _server.StopAsync();
        var dead = OutboxHarness.Create(_connectionString, spill);
        for (var i = 0; i < 50; i++)
        {
            dead.Processor.Record(OutboxHarness.Message("torn", $"whole {i}"));
        }

        await Eventually.TrueAsync(() => Task.FromResult(dead.Outbox.GetStatistics().Spilled == 50), TimeSpan.FromSeconds(30), "the records spilling");
        await dead.CrashAsync();
        // The process died while writing one more frame: a header promising more bytes than the file holds.
        var segment = Directory.GetFiles(spill, "*.seg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Last();
        var torn = new byte[8 + 10];
        BinaryPrimitives.WriteUInt32LittleEndian(torn, 500);
        await using (var file = new FileStream(segment, FileMode.Append))
        {
            await file.WriteAsync(torn);
        }

        await _server.StartAsync();
        await using var next = OutboxHarness.Create(_connectionString, spill);
        await next.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await CountAsync("SELECT count(*) FROM messages")).Should().Be(50);
        next.Outbox.GetStatistics().Dropped.Should().Contain(OutboxCounters.SpillTorn, 1);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var db = NpgsqlDataSource.Create(_connectionString);
        await using var command = db.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

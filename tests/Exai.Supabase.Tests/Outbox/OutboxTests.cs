using System.Diagnostics.Metrics;
using Exai.Supabase.Outbox;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Exai.Supabase.Tests.Outbox;

/// <summary>The outbox against a live shared server: batching, idempotence, isolation, scopes, parents.</summary>
public sealed class OutboxTests
{
    private MigratedDatabase _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _db = await MigratedDatabase.CreateAsync("exai_outbox");

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _db.DisposeAsync();

    [Test]
    public async Task Recorded_messages_land_in_their_threads_and_flush_is_a_durability_point()
    {
        await using var harness = OutboxHarness.Create(_db.ConnectionString);
        var prefix = Unique();
        for (var i = 0; i < 5_000; i++)
        {
            harness.Processor.Record(OutboxHarness.Message($"{prefix}-{i % 50}", $"turn {i}"));
        }

        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await CountMessagesAsync(prefix + "-%")).Should().Be(5_000);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id LIKE @p", ("p", prefix + "-%"))).Should().Be(50);
        var statistics = harness.Outbox.GetStatistics();
        statistics.Persisted.Should().Be(5_000);
        statistics.QueueDepth.Should().Be(0);
        statistics.Lag.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public async Task A_batch_is_written_when_its_oldest_record_is_old_enough_without_a_flush()
    {
        await using var harness = OutboxHarness.Create(_db.ConnectionString, configure: o => o.MaxBatchAge = TimeSpan.FromMilliseconds(50));
        var thread = Unique();

        harness.Processor.Record(OutboxHarness.Message(thread, "alone"));

        await Eventually.TrueAsync(async () => await CountMessagesAsync(thread) == 1, TimeSpan.FromSeconds(30), "the lone record landing on the age timer");
    }

    [Test]
    public async Task Recording_the_same_record_twice_lands_it_once()
    {
        await using var harness = OutboxHarness.Create(_db.ConnectionString);
        var thread = Unique();
        var first = OutboxHarness.Message(thread, "once");
        var replay = OutboxHarness.Message(thread, "once", id: first.Id);

        harness.Processor.Record(first);
        await harness.Outbox.FlushAsync();
        harness.Processor.Record(replay);
        await harness.Outbox.FlushAsync();

        (await CountMessagesAsync(thread)).Should().Be(1);
        harness.Outbox.GetStatistics().DeadLettered.Should().Be(0, "a replay is not a bad row");
    }

    [Test]
    public async Task A_record_already_saved_among_new_batch_mates_is_skipped_and_they_all_land()
    {
        // A new record object carrying a saved id looks like a first attempt, which inserts without arbitrating
        // conflicts: its unique violation must send the batch through the replay-safe landing, not to the dead letters.
        await using var harness = OutboxHarness.Create(_db.ConnectionString, configure: o => o.MaxBatchAge = TimeSpan.FromSeconds(5));
        var thread = Unique();
        var saved = OutboxHarness.Message(thread, "saved before");
        harness.Processor.Record(saved);
        await harness.Outbox.FlushAsync();

        for (var i = 0; i < 20; i++)
        {
            harness.Processor.Record(OutboxHarness.Message(thread, $"new {i}"));
            if (i == 11)
            {
                harness.Processor.Record(OutboxHarness.Message(thread, "saved again", id: saved.Id));
            }
        }

        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await CountMessagesAsync(thread)).Should().Be(21);
        (await _db.ScalarAsync<string>("SELECT content FROM messages WHERE id = @id", ("id", saved.Id))).Should().Be("saved before");
        (await _db.ScalarAsync<long>("SELECT count(*) FROM outbox_dead_letters WHERE id = @id", ("id", saved.Id))).Should().Be(0);
        harness.Outbox.GetStatistics().DeadLettered.Should().Be(0);
    }

    [Test]
    public async Task A_poison_row_is_dead_lettered_with_its_reason_while_its_batch_mates_land()
    {
        await using var harness = OutboxHarness.Create(_db.ConnectionString, configure: o => o.MaxBatchAge = TimeSpan.FromSeconds(5));
        var thread = Unique();
        // Past the call-site validation (this goes straight to the outbox): the database's check refuses the role.
        var poison = OutboxHarness.Message(thread, "poison", role: "wizard");
        for (var i = 0; i < 100; i++)
        {
            harness.Processor.Record(OutboxHarness.Message(thread, $"good {i}"));
            if (i == 37)
            {
                harness.Processor.Record(poison);
            }
        }

        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await CountMessagesAsync(thread)).Should().Be(100);
        (await _db.ScalarAsync<string>("SELECT sql_state FROM outbox_dead_letters WHERE id = @id", ("id", poison.Id))).Should().Be("23514");
        (await _db.ScalarAsync<string>("SELECT payload ->> 'role' FROM outbox_dead_letters WHERE id = @id", ("id", poison.Id))).Should().Be("wizard");
        harness.Outbox.GetStatistics().DeadLettered.Should().Be(1);
    }

    [Test]
    public async Task A_row_refused_by_row_level_security_is_dead_lettered_and_blocks_nothing()
    {
        await using var harness = OutboxHarness.Create(_db.ConnectionString, configure: o => o.MaxBatchAge = TimeSpan.FromSeconds(5));
        var alice = ExaiScope.ForUser(Guid.NewGuid());
        var bob = ExaiScope.ForUser(Guid.NewGuid());
        var alicesThread = Unique();
        var bobsThread = Unique();
        harness.Processor.Record(OutboxHarness.Message(alicesThread, "alice writes", scope: alice));
        await harness.Outbox.FlushAsync();

        var intrusion = OutboxHarness.Message(alicesThread, "bob tries to write into alice's thread", scope: bob);
        harness.Processor.Record(OutboxHarness.Message(bobsThread, "bob 1", scope: bob));
        harness.Processor.Record(intrusion);
        harness.Processor.Record(OutboxHarness.Message(bobsThread, "bob 2", scope: bob));
        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await CountMessagesAsync(alicesThread)).Should().Be(1);
        (await CountMessagesAsync(bobsThread)).Should().Be(2);
        (await _db.ScalarAsync<Guid>("SELECT user_id FROM conversations WHERE continuation_id = @c", ("c", bobsThread))).Should().Be(bob.UserId!.Value);
        (await _db.ScalarAsync<string>("SELECT sql_state FROM outbox_dead_letters WHERE id = @id", ("id", intrusion.Id))).Should().Be("42501");
    }

    [Test]
    public async Task Service_turns_land_through_the_policies_when_row_level_security_applies_to_the_connecting_role()
    {
        // A first attempt in the service scope copies turns straight into messages, which PostgreSQL refuses for a
        // role that row-level security applies to (Supabase's service_role bypasses it; a role like this one does not):
        // then the staged landing, which goes through the policies, must run instead.
        var role = $"exai_rls_{Guid.NewGuid():N}"[..24];
        await _db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'rls-secret' IN ROLE service_role");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = role, Password = "rls-secret" }.ConnectionString;
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var check = new NpgsqlCommand("SELECT row_security_active('public.messages'::regclass)", connection);
                ((bool)(await check.ExecuteScalarAsync())!).Should().BeTrue("the role must be one that row-level security applies to");
            }

            await using var harness = OutboxHarness.Create(connectionString, configure: o => o.MaxBatchAge = TimeSpan.FromSeconds(5));
            var thread = Unique();
            for (var i = 0; i < 30; i++)
            {
                harness.Processor.Record(OutboxHarness.Message($"{thread}-{i % 3}", $"turn {i}"));
            }

            await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

            (await CountMessagesAsync(thread + "-%")).Should().Be(30);
            harness.Outbox.GetStatistics().DeadLettered.Should().Be(0);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await _db.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE IF EXISTS {role}");
        }
    }

    [Test]
    public async Task Two_instances_creating_and_appending_to_one_thread_at_once_make_one_thread_with_every_message()
    {
        await using var first = OutboxHarness.Create(_db.ConnectionString);
        await using var second = OutboxHarness.Create(_db.ConnectionString);
        var thread = Unique();

        await Task.WhenAll(
            Task.Run(() => RecordMany(first, thread, "a")),
            Task.Run(() => RecordMany(second, thread, "b")));
        await Task.WhenAll(first.Outbox.FlushAsync(), second.Outbox.FlushAsync()).WaitAsync(TimeSpan.FromSeconds(60));

        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id = @c", ("c", thread))).Should().Be(1);
        (await CountMessagesAsync(thread)).Should().Be(1_000);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM outbox_dead_letters WHERE payload ->> 'continuationId' = @c", ("c", thread))).Should().Be(0);

        static void RecordMany(OutboxHarness harness, string thread, string who)
        {
            harness.Processor.Record(OutboxHarness.Conversation(thread, title: who));
            for (var i = 0; i < 500; i++)
            {
                harness.Processor.Record(OutboxHarness.Message(thread, $"{who} {i}"));
            }
        }
    }

    [Test]
    public async Task A_message_for_a_thread_made_elsewhere_lands_in_that_thread()
    {
        var thread = Unique();
        var adoptedId = Guid.NewGuid();
        await _db.ExecuteAsync($"INSERT INTO conversations (id, continuation_id, title) VALUES ('{adoptedId}', '{thread}', 'from the legacy database')");
        await using var harness = OutboxHarness.Create(_db.ConnectionString);

        harness.Processor.Record(OutboxHarness.Message(thread, "continues the adopted thread"));
        await harness.Outbox.FlushAsync();

        (await _db.ScalarAsync<Guid>("SELECT conversation_id FROM messages m WHERE m.content = 'continues the adopted thread'")).Should().Be(adoptedId);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id = @c", ("c", thread))).Should().Be(1);
    }

    [Test]
    public async Task A_turn_recorded_as_the_service_in_a_users_threads_is_owned_by_each_threads_user()
    {
        // Several threads and owners in one batch: each turn takes its own thread's owner.
        var owners = Enumerable.Range(0, 3).Select(_ => (Thread: Unique(), User: Guid.NewGuid())).ToList();
        foreach (var (thread, user) in owners)
        {
            await _db.ExecuteAsync($"INSERT INTO conversations (id, continuation_id, user_id) VALUES ('{Guid.NewGuid()}', '{thread}', '{user}')");
        }

        var unowned = Unique();
        await using var harness = OutboxHarness.Create(_db.ConnectionString);
        foreach (var (thread, _) in owners.Concat(owners))
        {
            harness.Processor.Record(OutboxHarness.Message(thread, "as the service"));
        }

        harness.Processor.Record(OutboxHarness.Message(unowned, "as the service"));
        await harness.Outbox.FlushAsync();

        foreach (var (thread, user) in owners)
        {
            (await _db.ColumnAsync<Guid?>(
                "SELECT m.user_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id = @c", ("c", thread)))
                .Should().Equal(user, user);
        }

        (await _db.ColumnAsync<Guid?>(
            "SELECT m.user_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id = @c", ("c", unowned)))
            .Should().Equal([null], "a thread the service made has no owner");
    }

    [Test]
    public async Task A_child_waits_for_its_parent_instead_of_becoming_a_dead_letter()
    {
        await using var harness = OutboxHarness.Create(_db.ConnectionString);
        var sessionId = Guid.NewGuid();
        var thread = Unique();
        var child = OutboxHarness.Conversation(thread, sessionId: sessionId, title: "child first");

        harness.Processor.Record(child);
        await Eventually.TrueAsync(() => Task.FromResult(harness.Outbox.GetStatistics().WaitingForParent == 1), TimeSpan.FromSeconds(30), "the thread waiting for its session");
        harness.Processor.Record(OutboxHarness.Session(sessionId));
        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await _db.ScalarAsync<Guid>("SELECT session_id FROM conversations WHERE continuation_id = @c", ("c", thread))).Should().Be(sessionId);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM outbox_dead_letters WHERE id = @id", ("id", child.Id))).Should().Be(0);
    }

    [Test]
    public async Task A_child_whose_parent_never_arrives_is_dead_lettered_after_the_wait_limit()
    {
        await using var harness = OutboxHarness.Create(_db.ConnectionString, configure: o => o.ParentWaitTimeout = TimeSpan.FromMilliseconds(300));
        var orphan = OutboxHarness.Conversation(Unique(), sessionId: Guid.NewGuid());

        harness.Processor.Record(orphan);
        await harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

        (await _db.ScalarAsync<string>("SELECT reason FROM outbox_dead_letters WHERE id = @id", ("id", orphan.Id))).Should().Contain("parent row never arrived");
    }

    [Test]
    public async Task The_meter_reports_what_the_outbox_did()
    {
        var persisted = 0L;
        Meter? ours = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutboxMetrics.MeterName && instrument.Name == "exai.outbox.persisted")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        // Fixtures running alongside publish under the same meter name: only this harness's outbox counts.
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (ReferenceEquals(instrument.Meter, Volatile.Read(ref ours)))
            {
                Interlocked.Exchange(ref persisted, value);
            }
        });
        listener.Start();
        await using var harness = OutboxHarness.Create(_db.ConnectionString);
        Volatile.Write(ref ours, harness.Services.GetRequiredService<OutboxMetrics>().Meter);

        harness.Processor.Record(OutboxHarness.Message(Unique(), "measured"));
        await harness.Outbox.FlushAsync();
        listener.RecordObservableInstruments();

        Interlocked.Read(ref persisted).Should().BeGreaterThanOrEqualTo(1);
    }

    [Test]
    public async Task The_health_check_is_healthy_when_nothing_waits()
    {
        await using var harness = OutboxHarness.Create(_db.ConnectionString);
        harness.Processor.Record(OutboxHarness.Message(Unique(), "healthy"));
        await harness.Outbox.FlushAsync();

        var health = await harness.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        health.Entries[OutboxHealthCheck.Name].Status.Should().Be(HealthStatus.Healthy);
    }

    private Task<long> CountMessagesAsync(string continuationPattern) =>
        _db.ScalarAsync<long>(
            "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id LIKE @p",
            ("p", continuationPattern));

    private static string Unique() => "t-" + Guid.NewGuid().ToString("N")[..12];
}

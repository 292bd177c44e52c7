using System.Text.Json.Nodes;
using Exai.Supabase.Migrations.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Realtime;
using Exai.Supabase.Realtime.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using NpgsqlTypes;

namespace Exai.Supabase.Tests.Realtime;

/// <summary>The change feed against a real server with <c>wal_level=logical</c>, one database for the fixture.</summary>
public sealed class ChangeFeedTests
{
    private MigratedDatabase _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _db = await MigratedDatabase.CreateAsync("exai_realtime");

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _db.DisposeAsync();

    [Test]
    public async Task The_publication_holds_the_realtime_tables_with_full_identity_where_old_values_matter()
    {
        (await Catalog.PublicationTablesAsync(_db.DataSource)).Should().BeEquivalentTo(
            "conversations", "messages", "files", "provider_file_uploads", "issues", "system_prompts");
        var identities = await _db.ColumnAsync<string>(
            "SELECT c.relname || '=' || c.relreplident::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            "WHERE n.nspname = 'public' AND c.relname IN ('conversations','messages','files','provider_file_uploads','issues','system_prompts')");
        identities.Should().BeEquivalentTo(
            "conversations=f", "files=f", "provider_file_uploads=f", "issues=f", "system_prompts=f", "messages=d");
    }

    [Test]
    public async Task The_publication_step_restores_a_missing_member_and_adds_none_twice()
    {
        await _db.ExecuteAsync("ALTER PUBLICATION supabase_realtime DROP TABLE public.files");
        try
        {
            await _db.ExecuteAsync(SupabaseSql.AddToPublication(TableNames.Realtime));
            await _db.ExecuteAsync(SupabaseSql.AddToPublication(TableNames.Realtime));
        }
        finally
        {
            await _db.ExecuteAsync(SupabaseSql.AddToPublication(TableNames.Realtime));
        }

        (await Catalog.PublicationTablesAsync(_db.DataSource)).Should().BeEquivalentTo(TableNames.Realtime);
    }

    [Test]
    public async Task Inserts_updates_and_deletes_arrive_in_commit_order_with_their_values()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        await using var collector = harness.Start(new ChangeFeedSubscription("conversations", "messages"));
        await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, harness.Prefix);

        var conversation = Guid.NewGuid();
        var message = Guid.NewGuid();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await _db.ExecuteAsync($"""
            BEGIN;
            SET LOCAL TimeZone = 'Asia/Kolkata';
            SET LOCAL DateStyle = 'SQL, DMY';
            INSERT INTO conversations (id, continuation_id, title, metadata, expires_at) VALUES ('{conversation}', 'order-1', 'first', '{"{"}"k": 1{"}"}', '2031-03-05 06:07:08.123456+02:30');
            INSERT INTO messages (id, conversation_id, role, content, input_tokens) VALUES ('{message}', '{conversation}', 'user', 'hello', 7);
            COMMIT;
            """);
        await _db.ExecuteAsync($"UPDATE messages SET content = 'hello again', input_tokens = 8 WHERE id = '{message}'");
        await _db.ExecuteAsync($"UPDATE conversations SET title = 'second' WHERE id = '{conversation}'");
        await _db.ExecuteAsync($"BEGIN; DELETE FROM messages WHERE id = '{message}'; DELETE FROM conversations WHERE id = '{conversation}'; COMMIT;");

        var events = await collector.TakeAsync(6);

        events.Select(e => (e.Kind, e.Table)).Should().Equal(
            (ChangeKind.Insert, "conversations"),
            (ChangeKind.Insert, "messages"),
            (ChangeKind.Update, "messages"),
            (ChangeKind.Update, "conversations"),
            (ChangeKind.Delete, "messages"),
            (ChangeKind.Delete, "conversations"));
        events.Select(e => (ulong)e.Lsn).Should().BeInAscendingOrder();
        events[0].TransactionId.Should().Be(events[1].TransactionId).And.NotBe(0u);
        events[0].CommitLsn.Should().Be(events[1].CommitLsn);
        events[2].TransactionId.Should().NotBe(events[1].TransactionId);
        events.Should().OnlyContain(e => e.CommitTime > before && e.CommitTime < DateTimeOffset.UtcNow.AddSeconds(5) && e.Schema == "public");

        var inserted = events[0].NewValues;
        inserted["id"].Should().Be(conversation);
        inserted["continuation_id"].Should().Be("order-1");
        inserted["title"].Should().Be("first");
        inserted["session_id"].Should().BeNull();
        inserted["metadata"].Should().BeAssignableTo<JsonNode>().Which["k"]!.GetValue<int>().Should().Be(1);
        inserted["created_at"].Should().BeOfType<DateTimeOffset>().Which.Should().BeAfter(before);
        inserted["expires_at"].Should().Be(new DateTimeOffset(2031, 3, 5, 3, 37, 8, TimeSpan.Zero).AddTicks(1_234_560));
        events[0].OldValues.Should().BeNull();

        events[1].NewValues["conversation_id"].Should().Be(conversation);
        events[1].NewValues["input_tokens"].Should().Be(7);
        events[2].NewValues["content"].Should().Be("hello again");
        events[2].OldValues.Should().BeNull("messages keeps the default replica identity: no old row on update");

        events[3].NewValues["title"].Should().Be("second");
        events[3].OldValues.Should().NotBeNull();
        events[3].OldValues!["title"].Should().Be("first");
        events[3].OldValuesComplete.Should().BeTrue();

        events[4].NewValues.Should().BeEmpty();
        events[4].OldValues.Should().NotBeNull();
        events[4].OldValues!.Keys.Should().Equal("id");
        events[4].OldValues!["id"].Should().Be(message);
        events[4].OldValuesComplete.Should().BeFalse();

        events[5].OldValues!["continuation_id"].Should().Be("order-1");
        events[5].OldValuesComplete.Should().BeTrue();
    }

    [Test]
    public async Task Changes_of_tables_not_subscribed_do_not_arrive_and_types_decode()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        await using var collector = harness.Start(new ChangeFeedSubscription("issues"));
        await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, harness.Prefix);

        await _db.ExecuteAsync("INSERT INTO conversations (continuation_id) VALUES ('not-subscribed')");
        await _db.ExecuteAsync("""
            INSERT INTO issues (title, components, rank) VALUES ('typed', ARRAY['a', 'b c', 'd,e'], 3)
            """);

        var change = await collector.NextAsync();

        change.Table.Should().Be("issues");
        change.NewValues["components"].Should().BeEquivalentTo(new[] { "a", "b c", "d,e" }, o => o.WithStrictOrdering());
        change.NewValues["rank"].Should().Be(3);
        change.NewValues["title"].Should().Be("typed");
        change.NewValues["id"].Should().BeOfType<Guid>();
        change.NewValues["severity"].Should().BeOfType<string>();
        change.NewValues.Should().NotContainKey("search_vector", "generated columns are not replicated");
        collector.Drain().Should().BeEmpty();
    }

    [Test]
    public async Task Filters_keep_matching_rows_and_judge_deletes_by_their_old_values()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var subscription = new ChangeFeedSubscription("conversations")
        {
            Filters = [ChangeFilter.Equal("conversations", "tool_name", "keep")],
        };
        await using var collector = harness.Start(subscription);
        await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, harness.Prefix);

        await _db.ExecuteAsync("INSERT INTO conversations (continuation_id, tool_name) VALUES ('filter-keep', 'keep'), ('filter-drop', 'drop')");
        await _db.ExecuteAsync("UPDATE conversations SET title = 'touched' WHERE continuation_id IN ('filter-keep', 'filter-drop')");
        await _db.ExecuteAsync("UPDATE conversations SET tool_name = 'left' WHERE continuation_id = 'filter-keep'");
        await _db.ExecuteAsync("DELETE FROM conversations WHERE continuation_id = 'filter-drop'");
        await _db.ExecuteAsync("UPDATE conversations SET tool_name = 'keep' WHERE continuation_id = 'filter-keep'");
        await _db.ExecuteAsync("DELETE FROM conversations WHERE continuation_id = 'filter-keep'");
        await _db.ExecuteAsync("INSERT INTO conversations (continuation_id, tool_name) VALUES ('filter-end', 'keep')");

        var events = await collector.TakeAsync(6);

        events.Select(e => (e.Kind, Id(e))).Should().Equal(
            (ChangeKind.Insert, "filter-keep"),
            (ChangeKind.Update, "filter-keep"),
            (ChangeKind.Update, "filter-keep"),  // leaves the filter: the old row matched
            (ChangeKind.Update, "filter-keep"),  // comes back
            (ChangeKind.Delete, "filter-keep"),  // judged by the old row (REPLICA IDENTITY FULL)
            (ChangeKind.Insert, "filter-end"));
        collector.Drain().Should().BeEmpty();

        static string Id(ChangeEvent e) => (string)(e.NewValues.Count > 0 ? e.NewValues : e.OldValues!)["continuation_id"]!;
    }

    [Test]
    public async Task Filters_compare_by_value_whatever_the_type_given()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var conversation = Guid.NewGuid();
        await _db.ExecuteAsync($"INSERT INTO conversations (id, continuation_id) VALUES ('{conversation}', 'typed-filter')");
        var subscription = new ChangeFeedSubscription("messages")
        {
            Filters = [ChangeFilter.Equal("conversation_id", conversation.ToString()), ChangeFilter.Equal("input_tokens", 5L)],
        };
        await using var collector = harness.Start(subscription);
        await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, harness.Prefix);

        await _db.ExecuteAsync($"INSERT INTO messages (conversation_id, role, input_tokens) VALUES ('{conversation}', 'user', 4), ('{conversation}', 'user', 5)");

        var change = await collector.NextAsync();
        change.NewValues["input_tokens"].Should().Be(5);
        await _db.ExecuteAsync($"INSERT INTO messages (conversation_id, role, input_tokens) VALUES ('{conversation}', 'system', 5)");
        (await collector.NextAsync()).NewValues["role"].Should().Be("system");
    }

    [Test]
    public async Task A_temporary_slot_is_gone_after_its_subscriber_stops()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var collector = harness.Start(new ChangeFeedSubscription("issues"));
        await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, harness.Prefix);
        (await RealtimeHarness.SlotCountAsync(_db.DataSource, harness.Prefix)).Should().Be(1);

        await collector.DisposeAsync();

        await Eventually.TrueAsync(
            async () => await RealtimeHarness.SlotCountAsync(_db.DataSource, harness.Prefix) == 0,
            TimeSpan.FromSeconds(15),
            "the temporary slot disappearing");
    }

    [Test]
    public async Task A_permanent_slot_resumes_after_the_last_acknowledged_event()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var slot = RealtimeHarness.NewSlotName();
        try
        {
            var first = new ChangeFeedSubscription("issues") { SlotName = slot, Acknowledgement = ChangeAcknowledgement.Manual };
            var collector = harness.Start(first);
            await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, slot, prefix: false);
            for (var i = 0; i < 20; i++)
            {
                await _db.ExecuteAsync($"INSERT INTO issues (title, rank) VALUES ('resume', {i})");
            }

            var seen = await collector.TakeAsync(20);
            seen.Select(Rank).Should().Equal(Enumerable.Range(0, 20));
            seen[9].Acknowledge();
            // The acknowledgement travels with the next status update (StatusInterval); on a loaded machine the final
            // update sent at disposal may not make it, so the test waits for the server to hold the position first.
            await Eventually.TrueAsync(
                async () => (await harness.Feed.GetSlotsAsync()).Single(s => s.Name == slot).ConfirmedFlushLsn >= seen[9].Lsn,
                TimeSpan.FromSeconds(30),
                "the acknowledgement of the tenth event reaching the server");
            await collector.DisposeAsync();
            (await harness.Feed.GetSlotsAsync()).Should().Contain(s => s.Name == slot && !s.Temporary && !s.Active);

            for (var i = 20; i < 25; i++)
            {
                await _db.ExecuteAsync($"INSERT INTO issues (title, rank) VALUES ('resume', {i})");
            }

            var second = new ChangeFeedSubscription("issues") { SlotName = slot, Acknowledgement = ChangeAcknowledgement.Manual };
            await using var resumed = harness.Start(second);
            var rest = await resumed.TakeAsync(15);
            rest.Select(Rank).Should().Equal(Enumerable.Range(10, 15), "the slot resumes right after the acknowledged event, nothing lost");
            await second.AcknowledgeAsync(rest[^1].Lsn);
            await Eventually.TrueAsync(
                async () => (await harness.Feed.GetSlotsAsync()).Single(s => s.Name == slot).ConfirmedFlushLsn >= rest[^1].Lsn,
                TimeSpan.FromSeconds(15),
                "the explicit acknowledgement reaching the server");
        }
        finally
        {
            await Eventually.TrueAsync(async () => (await harness.Feed.GetSlotsAsync()).All(s => s.Name != slot || !s.Active), TimeSpan.FromSeconds(15), "the slot going idle");
            await harness.Feed.DropSlotAsync(slot);
        }

        static int Rank(ChangeEvent e) => (int)e.NewValues["rank"]!;
    }

    [Test]
    public async Task Retained_WAL_over_the_threshold_is_a_warning_and_an_abandoned_slot_can_be_dropped()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString, o => o.RetainedWalWarningBytes = 1);
        var slot = RealtimeHarness.NewSlotName();
        var collector = harness.Start(new ChangeFeedSubscription("issues") { SlotName = slot });
        await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, slot, prefix: false);
        await collector.DisposeAsync();
        await Eventually.TrueAsync(async () => (await harness.Feed.GetSlotsAsync()).Any(s => s.Name == slot && !s.Active), TimeSpan.FromSeconds(15), "the slot going idle");
        await _db.ExecuteAsync("CREATE TEMP TABLE wal_filler AS SELECT g, repeat('x', 100) AS pad FROM generate_series(1, 2000) g");

        var slots = await harness.Feed.GetSlotsAsync();

        slots.Single(s => s.Name == slot).RetainedWalBytes.Should().BePositive();
        TestLoggerProvider.Instance.Lines.Should().Contain(l =>
            l.Level == LogLevel.Warning && l.Message.Contains(slot, StringComparison.Ordinal) && l.Message.Contains("DropSlotAsync", StringComparison.Ordinal));
        (await harness.Feed.DropSlotAsync(slot)).Should().BeTrue();
        (await harness.Feed.DropSlotAsync(slot)).Should().BeFalse();
        (await harness.Feed.GetSlotsAsync()).Should().NotContain(s => s.Name == slot);
    }

    [Test]
    public async Task A_slot_in_use_is_not_dropped()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var slot = RealtimeHarness.NewSlotName();
        var collector = harness.Start(new ChangeFeedSubscription("issues") { SlotName = slot });
        try
        {
            await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, slot, prefix: false);
            var drop = () => harness.Feed.DropSlotAsync(slot);
            await drop.Should().ThrowAsync<InvalidOperationException>().WithMessage("*in use*");
        }
        finally
        {
            await collector.DisposeAsync();
            try
            {
                await Eventually.TrueAsync(async () => await harness.Feed.DropSlotAsync(slot), TimeSpan.FromSeconds(15), "dropping the released slot");
            }
            catch (TimeoutException ex)
            {
                var state = await _db.ColumnAsync<string>(
                    "SELECT coalesce(s.slot_name::text,'') || ' active=' || s.active::text || ' pid=' || coalesce(s.active_pid::text,'-') || ' ' || coalesce(a.backend_type,'') || ' ' || coalesce(a.state,'') || ' ' || coalesce(a.wait_event_type,'') || '/' || coalesce(a.wait_event,'') || ' q=' || coalesce(a.query,'') " +
                    "FROM pg_replication_slots s LEFT JOIN pg_stat_activity a ON a.pid = s.active_pid");
                throw new TimeoutException(ex.Message + " slots: " + string.Join(" | ", state), ex);
            }
        }
    }

    [Test]
    public async Task Status_updates_go_through_a_connection_only_once_its_stream_has_started()
    {
        var state = new ChangeStreamState();
        await using var connection = new LogicalReplicationConnection(_db.ConnectionString);
        await connection.Open();
        var slot = await connection.CreatePgOutputReplicationSlot(
            RealtimeHarness.NewSlotName(), temporarySlot: true, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport);
        state.Bind(connection);
        state.StatusConnection().Should().BeNull("START_REPLICATION has not even been sent");

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var messages = connection.StartReplication(slot, new PgOutputReplicationOptions(ChangeFeed.PublicationName, PgOutputProtocolVersion.V1), stop.Token)
            .GetAsyncEnumerator(stop.Token);
        var next = messages.MoveNextAsync().AsTask();
        await _db.ExecuteAsync($"INSERT INTO conversations (continuation_id) VALUES ('status-{Guid.NewGuid():N}')");
        (await next).Should().BeTrue();
        state.StatusConnection().Should().BeSameAs(connection, "a message has arrived, so the server's answer was read");

        state.Bind(null);
        state.StatusConnection().Should().BeNull();
        await stop.CancelAsync();
        try
        {
            while (await messages.MoveNextAsync())
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Test]
    public async Task A_subscription_stopped_as_its_stream_starts_ends_at_once_and_releases_its_slot()
    {
        // Stopping a permanent-slot subscriber sends its position first. Sent in the moment between START_REPLICATION
        // and the server's answer, that update used to take Npgsql's feedback lock for good and hang the stream.
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var slot = RealtimeHarness.NewSlotName();
        var completed = false;
        async Task<bool> SlotActiveAsync() =>
            await _db.ScalarAsync<bool>("SELECT coalesce((SELECT active FROM pg_replication_slots WHERE slot_name = @slot), false)", ("slot", slot));
        try
        {
            for (var i = 0; i < 120; i++)
            {
                using var stop = new CancellationTokenSource();
                var run = Task.Run(async () =>
                {
                    await foreach (var _ in harness.Feed.SubscribeAsync(new ChangeFeedSubscription("issues") { SlotName = slot }, stop.Token))
                    {
                    }
                });
                await Eventually.TrueAsync(
                    SlotActiveAsync,
                    TimeSpan.FromSeconds(30),
                    $"the slot becoming active (round {i})");
                await stop.CancelAsync();

                var ended = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));
                ended.Should().BeSameAs(run, $"the subscriber stopped in round {i} should end, not hang");
                await run.ContinueWith(static _ => { }, TaskScheduler.Default);
                await Eventually.TrueAsync(
                    async () => !await SlotActiveAsync(),
                    TimeSpan.FromSeconds(20),
                    $"the slot being released (round {i})");
            }

            completed = true;
        }
        finally
        {
            // After a failed round the slot may still be held; the failure above is the one to report.
            var drop = Eventually.TrueAsync(async () => await harness.Feed.DropSlotAsync(slot), TimeSpan.FromSeconds(20), "dropping the slot");
            if (completed)
            {
                await drop;
            }
            else
            {
                await drop.ContinueWith(static _ => { }, TaskScheduler.Default);
            }
        }
    }

    [Test]
    public async Task A_role_without_replication_gets_an_error_that_says_what_to_grant()
    {
        var role = $"exai_norepl_{Guid.NewGuid():N}"[..24];
        await _db.ExecuteAsync($"CREATE ROLE {role} LOGIN NOREPLICATION PASSWORD 'norepl-secret'");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Username = role, Password = "norepl-secret" }.ConnectionString;
            await using var harness = RealtimeHarness.Create(connectionString);

            var subscribe = async () =>
            {
                await foreach (var _ in harness.Feed.SubscribeAsync(new ChangeFeedSubscription("issues")))
                {
                }
            };

            var error = (await subscribe.Should().ThrowAsync<ChangeFeedPermissionException>()).Which;
            error.Role.Should().Be(role);
            error.Message.Should().Contain($"ALTER ROLE \"{role}\" WITH REPLICATION").And.Contain("direct connection").And.Contain("pooler");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await _db.ExecuteAsync($"DROP ROLE IF EXISTS {role}");
        }
    }

    [Test]
    public async Task A_table_outside_the_publication_is_refused_with_the_fix()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var subscribe = async () =>
        {
            await foreach (var _ in harness.Feed.SubscribeAsync(new ChangeFeedSubscription("sessions")))
            {
            }
        };

        await subscribe.Should().ThrowAsync<ChangeFeedConfigurationException>().WithMessage("*ALTER PUBLICATION supabase_realtime ADD TABLE public.sessions*");
    }

    [Test]
    public async Task Bad_arguments_are_refused_before_anything_connects()
    {
        var noTables = () => new ChangeFeedSubscription();
        noTables.Should().Throw<ArgumentException>();
        var twice = () => new ChangeFeedSubscription("issues", "issues");
        twice.Should().Throw<ArgumentException>();
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var badSlot = () => harness.Feed.SubscribeAsync(new ChangeFeedSubscription("issues") { SlotName = "Bad-Name" });
        badSlot.Should().Throw<ArgumentException>().WithMessage("*slot name*");
        var strayFilter = () => harness.Feed.SubscribeAsync(new ChangeFeedSubscription("issues") { Filters = [ChangeFilter.Equal("messages", "id", 1)] });
        strayFilter.Should().Throw<ArgumentException>();
    }

    [Test]
    public async Task Turn_and_prompt_signals_come_from_the_shared_hub()
    {
        await using var harness = RealtimeHarness.Create(_db.ConnectionString);
        var turns = harness.Services.GetRequiredService<TurnSignals>();
        var prompts = harness.Services.GetRequiredService<PromptChangeSignals>();
        var conversation = Guid.NewGuid();
        var other = Guid.NewGuid();
        await _db.ExecuteAsync($"INSERT INTO conversations (id, continuation_id) VALUES ('{conversation}', 'turns-mine'), ('{other}', 'turns-other')");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Each starts with a resync: the moment the shared slot exists, before which nothing was seen.
        var turnTask = turns.WatchAsync(conversation, stop.Token).Take(2).ToListAsync(stop.Token).AsTask();
        var promptTask = prompts.WatchAsync(stop.Token).Take(3).ToListAsync(stop.Token).AsTask();
        await RealtimeHarness.WaitForActiveSlotAsync(_db.DataSource, harness.Prefix);
        harness.Services.GetRequiredService<ChangeHub>().ListenerCount.Should().Be(2, "both listeners share one subscription");
        (await RealtimeHarness.SlotCountAsync(_db.DataSource, harness.Prefix)).Should().Be(1);

        var message = Guid.NewGuid();
        await _db.ExecuteAsync($"INSERT INTO messages (conversation_id, role) VALUES ('{other}', 'user')");
        await _db.ExecuteAsync($"INSERT INTO messages (id, conversation_id, role) VALUES ('{message}', '{conversation}', 'assistant')");
        await _db.ExecuteAsync("""
            INSERT INTO system_prompts (tool_name, provider, tier, prompt_content, version) VALUES ('chat', 'kimi', 1, 'p', 'v1');
            UPDATE system_prompts SET provider = 'glm' WHERE tool_name = 'chat' AND provider = 'kimi';
            """);

        var seen = await turnTask;
        seen[0].IsResync.Should().BeTrue();
        var turn = seen[1];
        turn.ConversationId.Should().Be(conversation);
        turn.MessageId.Should().Be(message);
        turn.Role.Should().Be("assistant");
        turn.IsResync.Should().BeFalse();
        var invalidations = await promptTask;
        invalidations.Should().Equal([PromptInvalidation.All, new PromptInvalidation("chat", "kimi"), new PromptInvalidation("chat", "glm")]);
        await stop.CancelAsync();
        await Eventually.TrueAsync(
            async () => await RealtimeHarness.SlotCountAsync(_db.DataSource, harness.Prefix) == 0,
            TimeSpan.FromSeconds(15),
            "the shared slot going with its last listener");
    }
}

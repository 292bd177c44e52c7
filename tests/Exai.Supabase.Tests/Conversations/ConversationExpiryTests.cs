using Exai.Supabase.Conversations;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Exai.Supabase.Tests.Conversations;

/// <summary>Sliding and absolute expiry and the clean-up, on a fake clock.</summary>
public sealed class ConversationExpiryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private MigratedDatabase _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _db = await MigratedDatabase.CreateAsync("exai_conversation_expiry");

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _db.DisposeAsync();

    [Test]
    public async Task Each_append_slides_the_expiry_and_an_idle_thread_expires_is_hidden_and_is_cleaned_up()
    {
        var clock = new FakeTimeProvider(Start);
        await using var harness = WithExpiry(clock, sliding: TimeSpan.FromHours(3), absolute: null);
        var id = ConversationHarness.Unique();
        harness.Store.Append(id, ConversationTurn.User("first"));
        await harness.Outbox.FlushAsync();
        clock.Advance(TimeSpan.FromHours(2));
        harness.Store.Append(id, ConversationTurn.User("two hours later"));
        await harness.Outbox.FlushAsync();

        (await ExpiresAtAsync(id)).Should().Be(Start + TimeSpan.FromHours(5), "the expiry slides with each append");
        clock.Advance(TimeSpan.FromHours(2.5));
        (await harness.Store.GetLastAsync(id, 10)).Should().HaveCount(2, "4.5 hours in, it expires at 5");
        clock.Advance(TimeSpan.FromHours(1));

        (await harness.Store.GetLastAsync(id, 10)).Should().BeEmpty("an expired thread is hidden at once");
        (await harness.Cleanup.RunOnceAsync(CancellationToken.None)).Should().BeGreaterThanOrEqualTo(1);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id = @c", ("c", id))).Should().Be(0);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = @t", ("t", ThreadIds.For(id)))).Should().Be(0, "its turns cascade");
        (await harness.Store.GetOrCreateAsync(id)).IsNew.Should().BeTrue();
    }

    [Test]
    public async Task The_absolute_maximum_age_ends_even_an_active_thread_and_its_id_then_starts_afresh()
    {
        var clock = new FakeTimeProvider(Start);
        await using var harness = WithExpiry(clock, sliding: TimeSpan.FromHours(1), absolute: TimeSpan.FromHours(2));
        var id = ConversationHarness.Unique();
        for (var i = 0; i < 4; i++)
        {
            harness.Store.Append(id, ConversationTurn.User($"turn {i}"));
            await harness.Outbox.FlushAsync();
            clock.Advance(TimeSpan.FromMinutes(30));
        }

        (await ExpiresAtAsync(id)).Should().Be(Start + TimeSpan.FromHours(2), "the maximum age caps the sliding expiry (last turn at 1.5 h + 1 h)");
        (await harness.Store.GetLastAsync(id, 10)).Should().BeEmpty("2 h after creation, active or not");

        harness.Store.Append(id, ConversationTurn.User("a new start"));
        await harness.Outbox.FlushAsync();
        var fresh = await harness.Store.GetHistoryAsync(id);

        fresh.Select(m => m.Content).Should().Equal("a new start");
        (await ExpiresAtAsync(id)).Should().Be(clock.GetUtcNow() + TimeSpan.FromHours(1));
    }

    [Test]
    public async Task Turns_of_several_threads_landing_in_one_batch_give_each_thread_its_first_and_last_time()
    {
        // Continuation ids that differ only in case or accent stay apart (the landing groups them by bytes).
        var clock = new FakeTimeProvider(Start);
        await using var harness = WithExpiry(clock, sliding: TimeSpan.FromHours(1), absolute: TimeSpan.FromDays(1));
        var stem = ConversationHarness.Unique("thread");
        string[] ids = [stem + "-a", stem + "-A", stem + "-\u00e1", stem + "-b"];
        var first = new Dictionary<string, DateTimeOffset>();
        var last = new Dictionary<string, DateTimeOffset>();
        for (var turn = 0; turn < 3; turn++)
        {
            foreach (var id in turn == 1 ? ids.Reverse() : ids)
            {
                harness.Store.Append(id, ConversationTurn.User($"{id} {turn}"));
                first.TryAdd(id, clock.GetUtcNow());
                last[id] = clock.GetUtcNow();
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        await harness.Outbox.FlushAsync();

        foreach (var id in ids)
        {
            var created = (await _db.ColumnAsync<DateTimeOffset>("SELECT created_at FROM conversations WHERE continuation_id = @c", ("c", id))).Single();
            var active = (await _db.ColumnAsync<DateTimeOffset>("SELECT last_activity_at FROM conversations WHERE continuation_id = @c", ("c", id))).Single();
            created.Should().Be(first[id], $"{id} was made by its first turn");
            active.Should().Be(last[id], $"{id} was last active at its last turn");
            (await ExpiresAtAsync(id)).Should().Be(last[id] + TimeSpan.FromHours(1));
            (await harness.Store.GetHistoryAsync(id)).Select(m => m.Content).Should().Equal(Enumerable.Range(0, 3).Select(t => $"{id} {t}"));
        }
    }

    [Test]
    public async Task With_both_expiries_off_a_thread_never_expires()
    {
        var clock = new FakeTimeProvider(Start);
        await using var harness = WithExpiry(clock, sliding: null, absolute: null);
        var id = ConversationHarness.Unique();
        harness.Store.Append(id, ConversationTurn.User("forever"));
        await harness.Outbox.FlushAsync();
        clock.Advance(TimeSpan.FromDays(3650));

        (await ExpiresAtAsync(id)).Should().BeNull();
        await harness.Cleanup.RunOnceAsync(CancellationToken.None);
        (await harness.Store.GetLastAsync(id, 10)).Should().ContainSingle();
    }

    [Test]
    public async Task The_clean_up_runs_on_its_interval_of_the_injected_clock()
    {
        var clock = new FakeTimeProvider(Start);
        await using var harness = ConversationHarness.Create(_db.ConnectionString, conversations: o =>
        {
            o.SlidingExpiration = TimeSpan.FromMinutes(10);
            o.CleanupInterval = TimeSpan.FromMinutes(5);
        }, time: clock);
        await harness.Cleanup.StartAsync(CancellationToken.None);
        var id = ConversationHarness.Unique();
        harness.Store.Append(id, ConversationTurn.User("short-lived"));
        await harness.Outbox.FlushAsync();

        clock.Advance(TimeSpan.FromMinutes(11));

        // Each probe moves the fake clock on by one interval, whenever the loop registered its delay.
        await Eventually.TrueAsync(
            async () =>
            {
                clock.Advance(TimeSpan.FromMinutes(5));
                return await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id = @c", ("c", id)) == 0;
            },
            TimeSpan.FromSeconds(30),
            "the hosted clean-up deleting the expired thread");
        await harness.Cleanup.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task Several_instances_cleaning_up_at_once_delete_every_expired_thread_once_in_small_batches()
    {
        var clock = new FakeTimeProvider(Start);
        var ids = Enumerable.Range(0, 250).Select(i => ConversationHarness.Unique($"bulk{i}")).ToList();
        await using var writer = ConversationHarness.Create(_db.ConnectionString, conversations: o => o.SlidingExpiration = TimeSpan.FromMinutes(1), time: clock);
        foreach (var id in ids)
        {
            writer.Store.AppendRange(id, [ConversationTurn.User("q"), ConversationTurn.Assistant("a")]);
        }

        await writer.Outbox.FlushAsync();
        clock.Advance(TimeSpan.FromMinutes(2));
        var cleaners = Enumerable.Range(0, 3)
            .Select(_ => ConversationHarness.Create(_db.ConnectionString, conversations: o => o.CleanupBatchSize = 10, time: clock))
            .ToList();
        try
        {
            var expired = await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE expires_at <= @now", ("now", clock.GetUtcNow()));
            var deleted = await Task.WhenAll(cleaners.Select(c => c.Cleanup.RunOnceAsync(CancellationToken.None)));

            expired.Should().BeGreaterThanOrEqualTo(250);
            deleted.Sum().Should().Be((int)expired, "each expired thread is deleted by exactly one instance");
            (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id LIKE 'bulk%'")).Should().Be(0);
        }
        finally
        {
            foreach (var cleaner in cleaners)
            {
                await cleaner.DisposeAsync();
            }
        }
    }

    private ConversationHarness WithExpiry(FakeTimeProvider clock, TimeSpan? sliding, TimeSpan? absolute) =>
        ConversationHarness.Create(_db.ConnectionString, conversations: o =>
        {
            o.SlidingExpiration = sliding;
            o.AbsoluteExpiration = absolute;
        }, time: clock);

    private async Task<DateTimeOffset?> ExpiresAtAsync(string continuationId) =>
        (await _db.ColumnAsync<DateTimeOffset?>("SELECT expires_at FROM conversations WHERE continuation_id = @c", ("c", continuationId))).Single();
}

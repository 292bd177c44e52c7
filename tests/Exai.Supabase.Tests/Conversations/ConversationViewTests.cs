using Exai.Supabase.Conversations;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Tests.Conversations;

/// <summary>The in-process views on their own: their bounds and how the cache merges reads.</summary>
public sealed class ConversationViewTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Test]
    public void The_cache_keeps_the_newest_turns_of_the_most_recently_used_threads_within_its_caps()
    {
        var cache = Cache(o =>
        {
            o.CachedThreads = 2;
            o.CachedMessagesPerThread = 3;
        });
        var a = Key("a");
        var b = Key("b");

        cache.StoreNewest(a, Turns("a", 1, 5), complete: true);
        cache.StoreNewest(b, Turns("b", 1, 2), complete: true);
        _ = cache.Get(a);
        cache.StoreNewest(Key("c"), Turns("c", 1, 1), complete: true);

        cache.Count.Should().Be(2);
        cache.Get(b).Should().BeNull("b was the least recently used");
        var kept = cache.Get(a)!.Value;
        kept.Messages.Select(m => m.Content).Should().Equal("a3", "a4", "a5");
        kept.Complete.Should().BeFalse("older turns were cut");
    }

    [Test]
    public void The_cache_evicts_by_bytes()
    {
        var cache = Cache(o => o.CacheBytes = 4_000);

        for (var i = 0; i < 10; i++)
        {
            cache.StoreNewest(Key($"t{i}"), Turns($"t{i}", 1, 3), complete: true);
        }

        cache.Bytes.Should().BeLessThanOrEqualTo(4_000);
        cache.Get(Key("t9")).Should().NotBeNull();
        cache.Get(Key("t0")).Should().BeNull();
    }

    [Test]
    public void A_fresher_read_that_does_not_touch_the_cached_turns_replaces_them_rather_than_leaving_a_gap()
    {
        var cache = Cache();
        var key = Key("gap");
        cache.StoreNewest(key, Turns("gap", 1, 5), complete: true);

        cache.StoreNewest(key, Turns("gap", 8, 10), complete: false);
        var apart = cache.Get(key)!.Value;
        cache.StoreNewest(key, Turns("gap", 6, 11), complete: false);
        var touching = cache.Get(key)!.Value;

        apart.Messages.Select(m => m.Content).Should().Equal("gap8", "gap9", "gap10");
        touching.Messages.Select(m => m.Content).Should().Equal(Enumerable.Range(6, 6).Select(i => $"gap{i}"), "an overlapping window joins what is cached");
    }

    [Test]
    public void Landed_turns_extend_the_cached_thread_in_order_and_once()
    {
        var cache = Cache();
        var key = Key("landed");
        var turns = Turns("landed", 1, 4);
        cache.StoreNewest(key, turns.Take(2).ToList(), complete: true);

        cache.AddLanded(key, CachedTurn.From(turns[3]));
        cache.AddLanded(key, CachedTurn.From(turns[2]));
        cache.AddLanded(key, CachedTurn.From(turns[3]));

        cache.Get(key)!.Value.Messages.Select(m => m.Content).Should().Equal("landed1", "landed2", "landed3", "landed4");
    }

    [Test]
    public void The_pending_view_stops_tracking_at_its_cap_and_counts_what_it_did_not_track()
    {
        var options = Options(o => o.MaxPendingMessages = 2);
        var pending = new PendingTurns(options, new ThreadHistoryCache(options), NullLogger<PendingTurns>.Instance);
        var records = Enumerable.Range(0, 3).Select(i => Record("capped", i)).ToList();

        records.ForEach(pending.Track);

        pending.Count.Should().Be(2);
        pending.Untracked.Should().Be(1);
        pending.Snapshot(Key("capped")).Messages.Should().HaveCount(2);
        records[0].OnLanded();
        records[1].OnAbandoned();
        pending.Count.Should().Be(0);
        pending.Threads.Should().Be(0, "nothing of the thread is pending");
        pending.Entries.Should().Be(1, "an emptied entry lingers for the thread's next append");
        pending.Sweep(linger: 0);
        pending.Entries.Should().Be(0, "a sweep removes entries empty for the linger time");
        pending.Track(Record("capped", 9));
        pending.Snapshot(Key("capped")).Messages.Should().ContainSingle("an append after the sweep gets a fresh entry");
    }

    [Test]
    public void A_tracked_turn_is_in_the_next_snapshot_and_one_that_lands_before_anybody_looks_is_never_filed()
    {
        var options = Options();
        var pending = new PendingTurns(options, new ThreadHistoryCache(options), NullLogger<PendingTurns>.Instance);
        var first = Record("log", 1);
        var second = Record("log", 2);
        var other = Record("elsewhere", 3);

        pending.Track(first);
        pending.Track(second);
        pending.Track(other);
        first.OnLanded();

        pending.Snapshot(Key("log")).Messages.Should().Equal([second], "the landed turn was dropped as the log was read");
        pending.Count.Should().Be(2);
        pending.Entries.Should().Be(2, "only turns still pending were filed under their threads");
        first.NextTracked.Should().BeNull("a turn the view has moved past no longer links to later ones");
        second.NextTracked.Should().BeNull();
    }

    [Test]
    public void Turns_appended_by_many_threads_at_once_are_each_in_every_snapshot_taken_after_their_append_returned()
    {
        var options = Options();
        var pending = new PendingTurns(options, new ThreadHistoryCache(options), NullLogger<PendingTurns>.Instance);
        const int writers = 4;
        const int perWriter = 5_000;
        var missing = 0;
        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var record = Record($"writer-{w}", i);
                pending.Track(record);
                if (i % 50 == 0 && !pending.Snapshot(Key($"writer-{w}")).Messages.Contains(record))
                {
                    Interlocked.Increment(ref missing);
                }

                if (i % 3 == 0)
                {
                    record.OnLanded();
                }
            }
        });

        missing.Should().Be(0);
        pending.Count.Should().Be(writers * (perWriter - ((perWriter + 2) / 3)));
        Enumerable.Range(0, writers).Sum(w => pending.Snapshot(Key($"writer-{w}")).Messages.Length).Should().Be(pending.Count);
    }

    [Test]
    public void A_cached_thread_keeps_its_newest_turns_in_order_as_turns_land_past_its_cap()
    {
        var cache = Cache(o => o.CachedMessagesPerThread = 5);
        var key = Key("ring");
        var turns = Turns("ring", 1, 40);

        // Mostly in order, now and then one that lands after a newer one (a retried batch, say).
        for (var i = 0; i < turns.Count; i++)
        {
            var at = i % 7 == 3 && i + 1 < turns.Count ? i + 1 : i % 7 == 4 ? i - 1 : i;
            cache.AddLanded(key, CachedTurn.From(turns[at]));
        }

        var kept = cache.Get(key)!.Value;
        kept.Messages.Select(m => m.Content).Should().Equal(Enumerable.Range(36, 5).Select(i => $"ring{i}"));
        kept.Complete.Should().BeFalse();
        cache.Bytes.Should().Be(kept.Messages.Sum(m => CachedTurn.From(m).EstimatedBytes));
    }

    [Test]
    public void A_landed_record_is_cached_as_it_is_and_read_back_as_a_stored_turn()
    {
        var cache = Cache();
        var record = Record("as-is", 1);

        cache.AddLanded(Key("as-is"), CachedTurn.From(record));

        var message = cache.Get(Key("as-is"))!.Value.Messages.Should().ContainSingle().Subject;
        message.Should().BeEquivalentTo(PendingTurns.ToMessage(record, pending: false));
        message.IsPending.Should().BeFalse();
    }

    private static ThreadKey Key(string continuationId) => new(null, continuationId);

    private static ThreadHistoryCache Cache(Action<ConversationOptions>? configure = null) => new(Options(configure));

    private static IOptions<ExaiSupabaseOptions> Options(Action<ConversationOptions>? configure = null)
    {
        var options = new ExaiSupabaseOptions { ConnectionString = "Host=localhost" };
        configure?.Invoke(options.Conversations);
        return Microsoft.Extensions.Options.Options.Create(options);
    }

    private static List<ConversationMessage> Turns(string thread, int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(i => new ConversationMessage
        {
            Id = UuidV7.NewId(Start.AddSeconds(i).ToUnixTimeMilliseconds()),
            ContinuationId = thread,
            Role = ConversationRoles.User,
            Content = $"{thread}{i}",
            CreatedAt = Start.AddSeconds(i),
        }).ToList();

    private static MessageRecord Record(string thread, int i) => new()
    {
        Id = UuidV7.NewId(Start.AddSeconds(i).ToUnixTimeMilliseconds()),
        RecordedAt = Start.AddSeconds(i),
        ContinuationId = thread,
        Role = ConversationRoles.User,
        Content = $"{thread}{i}",
    };
}

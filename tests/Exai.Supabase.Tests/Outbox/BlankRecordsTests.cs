using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Outbox;

/// <summary>The stock of blank turn records an append fills instead of allocating (in-process; no database involved).</summary>
public sealed class BlankRecordsTests
{
    [Test]
    public async Task The_first_take_starts_the_top_up_and_the_stock_fills_to_capacity()
    {
        var blanks = new BlankRecords<MessageRecord>(MessageRecord.Blank, capacity: 64, chunkSize: 8);
        blanks.IsRunning.Should().BeFalse();
        blanks.InStock.Should().Be(0);

        var first = blanks.Take();

        first.Should().NotBeNull("an empty stock makes the caller's own blank");
        await Eventually.TrueAsync(() => Task.FromResult(blanks.InStock == 64), TimeSpan.FromSeconds(10), "the stock filling up");
    }

    [Test]
    public async Task The_top_up_stops_after_a_period_without_takes_and_the_next_take_starts_it_again()
    {
        var blanks = new BlankRecords<MessageRecord>(MessageRecord.Blank, capacity: 16, chunkSize: 4);
        blanks.Take();
        await Eventually.TrueAsync(() => Task.FromResult(!blanks.IsRunning), TimeSpan.FromSeconds(10), "the timer stopping once nothing is taken");
        blanks.InStock.Should().Be(16);

        // Every chunk in stock, and then some: the stock is empty until the top-up, restarted by these takes, refills it.
        for (var i = 0; i < 20; i++)
        {
            blanks.Take();
        }

        await Eventually.TrueAsync(() => Task.FromResult(blanks.InStock == 16), TimeSpan.FromSeconds(10), "the stock refilled by the restarted top-up");
    }

    [Test]
    public async Task Concurrent_takers_never_get_the_same_blank_even_past_the_stock()
    {
        var blanks = new BlankRecords<MessageRecord>(MessageRecord.Blank, capacity: 128, chunkSize: 16);
        var taken = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var mine = new List<MessageRecord>(20_000);
            for (var i = 0; i < 20_000; i++)
            {
                mine.Add(blanks.Take());
            }

            return mine;
        })));

        var all = taken.SelectMany(t => t).ToList();
        all.Should().HaveCount(80_000);
        all.Distinct(ReferenceEqualityComparer.Instance).Should().HaveCount(80_000);
        all.Should().OnlyContain(r => r.Id == Guid.Empty && r.Content.Length == 0 && r.ScopeUserId == null && r.FileIds == null, "every blank is blank");
    }
}

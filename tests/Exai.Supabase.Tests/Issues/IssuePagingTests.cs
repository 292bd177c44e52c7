using Exai.Supabase.Issues;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Issues;

/// <summary>Keyset pages where time stamps tie, where issues arrive between pages, and cursors that are not cursors.</summary>
public sealed class IssuePagingTests
{
    private MigratedDatabase _db = null!;
    private IssueHarness _harness = null!;

    private IIssueTracker Tracker => _harness.Tracker;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_issue_paging");
        _harness = IssueHarness.Create(_db.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _harness.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task Issues_created_at_the_same_instant_are_paged_by_id_without_loss_or_repeat()
    {
        var category = "ties-" + Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, 5).Select(i => Tracker.CreateIssue(new IssueDraft { Title = $"tie {i}", Category = category })).ToList();
        await _harness.Outbox.FlushAsync();
        (await _db.ScalarAsync<long>("SELECT count(DISTINCT created_at) FROM issues WHERE category = @c", ("c", category))).Should().Be(1);

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await Tracker.ListAsync(new IssueFilter { Category = category }, 2, cursor);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        seen.Should().Equal(ids.AsEnumerable().Reverse(), "ties are broken by id, and UUIDv7 ids made later sort later");
    }

    [Test]
    public async Task Issues_created_between_two_pages_do_not_shift_the_next_page()
    {
        var category = "moving-" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(Tracker.CreateIssue(new IssueDraft { Title = $"before {i}", Category = category }));
            _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await _harness.Outbox.FlushAsync();
        var first = await Tracker.ListAsync(new IssueFilter { Category = category }, 2);
        Tracker.CreateIssue(new IssueDraft { Title = "newcomer", Category = category });
        await _harness.Outbox.FlushAsync();

        var second = await Tracker.ListAsync(new IssueFilter { Category = category }, 2, first.NextCursor);

        first.Items.Select(i => i.Id).Should().Equal(ids[3], ids[2]);
        second.Items.Select(i => i.Id).Should().Equal(ids[1], ids[0]);
        second.NextCursor.Should().BeNull();
    }

    [TestCase("")]
    [TestCase("not a cursor")]
    [TestCase("AQAAAAAAAAAA")]
    [TestCase("AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_cursor_the_tracker_did_not_make_is_refused(string cursor)
    {
        (await Tracker.Invoking(t => t.ListAsync(cursor: cursor)).Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("cursor");
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(IssuePage.MaxSize + 1)]
    public async Task A_page_size_out_of_range_is_refused(int size)
    {
        (await Tracker.Invoking(t => t.ListAsync(pageSize: size)).Should().ThrowAsync<ArgumentOutOfRangeException>()).Which.ParamName.Should().Be("pageSize");
    }
}

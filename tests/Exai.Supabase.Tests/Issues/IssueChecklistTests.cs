using Exai.Supabase.Issues;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Issues;

/// <summary>Checklists: order after completing, skipping, adding, removing and reordering; stamps; history; races.</summary>
public sealed class IssueChecklistTests
{
    private MigratedDatabase _db = null!;
    private IssueHarness _harness = null!;

    private IIssueTracker Tracker => _harness.Tracker;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_issue_checklist");
        _harness = IssueHarness.Create(_db.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _harness.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task Completing_and_skipping_stamp_time_and_author_and_keep_the_order()
    {
        var id = await _harness.SavedIssueAsync(new IssueDraft { Title = "steps", Checklist = ["one", "two", "three"] });
        var items = await Tracker.GetChecklistAsync(id);
        _harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var completedAt = Micro(_harness.Clock.GetUtcNow());

        var completed = await Tracker.CompleteChecklistItemAsync(items[0].Id, "ann");
        _harness.Clock.Advance(TimeSpan.FromMinutes(5));
        var skipped = await Tracker.SkipChecklistItemAsync(items[2].Id, "not needed on Linux", "bob");
        var again = await Tracker.CompleteChecklistItemAsync(items[0].Id, "someone else");

        completed.Should().Match<IssueChecklistItem>(i => i.State == ChecklistItemState.Completed && i.StateChangedAt == completedAt && i.ChangedBy == "ann");
        skipped.Should().Match<IssueChecklistItem>(i => i.State == ChecklistItemState.Skipped && i.StateChangedAt == completedAt.AddMinutes(5) && i.ChangedBy == "bob");
        again.Should().BeEquivalentTo(completed, "completing a completed item changes nothing");
        var list = await Tracker.GetChecklistAsync(id);
        list.Select(i => (i.Position, i.Text, i.State)).Should().Equal(
            (1, "one", ChecklistItemState.Completed), (2, "two", ChecklistItemState.Pending), (3, "three", ChecklistItemState.Skipped));
        list[1].StateChangedAt.Should().BeNull();

        var entries = (await Tracker.GetUpdatesAsync(id)).Where(u => u.Kind == IssueUpdateKind.Checklist).ToList();
        entries.Should().HaveCount(2);
        entries[1].Author.Should().Be("bob");
        entries[1].Body.Should().Contain("not needed on Linux");
        entries[1].Metadata["action"]!.GetValue<string>().Should().Be("skipped");
        entries[1].Metadata["from_state"]!.GetValue<string>().Should().Be("pending");
        entries[1].Metadata["item_id"]!.GetValue<Guid>().Should().Be(items[2].Id);
    }

    [Test]
    public async Task Positions_stay_one_to_n_without_gaps_after_completing_skipping_adding_removing_and_reordering()
    {
        var id = await _harness.SavedIssueAsync(new IssueDraft { Title = "order", Checklist = ["a", "b", "c", "d"] });
        var start = await Tracker.GetChecklistAsync(id);
        await Tracker.CompleteChecklistItemAsync(start[1].Id);
        await Tracker.SkipChecklistItemAsync(start[3].Id);
        var e = await Tracker.AddChecklistItemAsync(id, "e");
        e.Position.Should().Be(5);

        var afterRemove = await Tracker.RemoveChecklistItemAsync(start[0].Id);
        afterRemove.Select(i => (i.Position, i.Text)).Should().Equal((1, "b"), (2, "c"), (3, "d"), (4, "e"));

        var reordered = await Tracker.ReorderChecklistAsync(id, [e.Id, start[3].Id, start[1].Id, start[2].Id], "planner");

        reordered.Select(i => (i.Position, i.Text, i.State)).Should().Equal(
            (1, "e", ChecklistItemState.Pending),
            (2, "d", ChecklistItemState.Skipped),
            (3, "b", ChecklistItemState.Completed),
            (4, "c", ChecklistItemState.Pending));
        (await Tracker.GetChecklistAsync(id)).Should().BeEquivalentTo(reordered, o => o.WithStrictOrdering());
        var f = await Tracker.AddChecklistItemAsync(id, "f");
        f.Position.Should().Be(5);
        var history = (await Tracker.GetUpdatesAsync(id)).Where(u => u.Kind == IssueUpdateKind.Checklist).Select(u => u.Metadata["action"]!.GetValue<string>());
        history.Should().Equal("completed", "skipped", "added", "removed", "reordered", "added");
    }

    [Test]
    public async Task Reordering_into_the_same_order_writes_nothing()
    {
        var id = await _harness.SavedIssueAsync(new IssueDraft { Title = "same", Checklist = ["a", "b"] });
        var items = await Tracker.GetChecklistAsync(id);

        var result = await Tracker.ReorderChecklistAsync(id, [items[0].Id, items[1].Id]);

        result.Should().BeEquivalentTo(items, o => o.WithStrictOrdering());
        (await Tracker.GetUpdatesAsync(id)).Should().NotContain(u => u.Kind == IssueUpdateKind.Checklist);
    }

    [Test]
    public async Task A_reordering_that_leaves_out_repeats_or_invents_an_item_is_refused_and_changes_nothing()
    {
        var id = await _harness.SavedIssueAsync(new IssueDraft { Title = "strict", Checklist = ["a", "b", "c"] });
        var items = await Tracker.GetChecklistAsync(id);
        var stranger = Guid.NewGuid();

        (await Tracker.Invoking(t => t.ReorderChecklistAsync(id, [items[2].Id, items[0].Id])).Should().ThrowAsync<ArgumentException>())
            .Which.Message.Should().Contain("left out: " + items[1].Id);
        (await Tracker.Invoking(t => t.ReorderChecklistAsync(id, [items[2].Id, items[0].Id, items[1].Id, stranger])).Should().ThrowAsync<ArgumentException>())
            .Which.Message.Should().Contain("not on it: " + stranger);
        (await Tracker.Invoking(t => t.ReorderChecklistAsync(id, [items[2].Id, items[2].Id, items[0].Id])).Should().ThrowAsync<ArgumentException>())
            .Which.ParamName.Should().Be("itemIds");
        await Tracker.Invoking(t => t.ReorderChecklistAsync(Guid.NewGuid(), [])).Should().ThrowAsync<IssueNotFoundException>();

        (await Tracker.GetChecklistAsync(id)).Should().BeEquivalentTo(items, o => o.WithStrictOrdering());
    }

    [Test]
    public async Task Items_added_at_the_same_moment_get_distinct_positions_one_to_n()
    {
        var id = await _harness.SavedIssueAsync("busy checklist");

        var added = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => Tracker.AddChecklistItemAsync(id, $"step {i}"))));

        added.Select(i => i.Position).Should().BeEquivalentTo(Enumerable.Range(1, 12));
        (await Tracker.GetChecklistAsync(id)).Select(i => i.Position).Should().Equal(Enumerable.Range(1, 12));
    }

    [Test]
    public async Task An_item_can_be_set_back_to_pending_and_that_is_recorded()
    {
        var id = await _harness.SavedIssueAsync(new IssueDraft { Title = "undo", Checklist = ["x"] });
        var item = (await Tracker.GetChecklistAsync(id)).Single();
        await Tracker.CompleteChecklistItemAsync(item.Id);

        var reopened = await Tracker.SetChecklistItemStateAsync(item.Id, ChecklistItemState.Pending, "not really done", "rev");

        reopened.State.Should().Be(ChecklistItemState.Pending);
        reopened.ChangedBy.Should().Be("rev");
        (await Tracker.GetUpdatesAsync(id))[^1].Metadata["action"]!.GetValue<string>().Should().Be("reopened");
    }

    private static DateTimeOffset Micro(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));
}

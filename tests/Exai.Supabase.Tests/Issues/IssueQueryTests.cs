using Exai.Supabase.Issues;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Issues;

/// <summary>
/// Queries over a known set of issues: each filter, combined filters, page boundaries and counts per status. The set
/// is made once; no test here adds issues.
/// </summary>
public sealed class IssueQueryTests
{
    private const int Count = 30;
    private static readonly IssueStatus[] StatusCycle =
        [IssueStatus.Open, IssueStatus.InProgress, IssueStatus.Fixed, IssueStatus.Verified, IssueStatus.Closed, IssueStatus.WontFix];

    private MigratedDatabase _db = null!;
    private IssueHarness _harness = null!;
    private Guid[] _ids = [];

    private IIssueTracker Tracker => _harness.Tracker;

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_issue_query");
        _harness = IssueHarness.Create(_db.ConnectionString);
        _ids = new Guid[Count];
        for (var i = 0; i < Count; i++)
        {
            _ids[i] = Tracker.CreateIssue(new IssueDraft
            {
                Title = i % 7 == 0 ? $"Issue {i}: rate limit exceeded" : $"Issue {i}: something else",
                Description = i % 4 == 0 ? "Calls hang until the timeout" : null,
                Severity = SeverityOf(i),
                Priority = PriorityOf(i),
                Category = CategoryOf(i),
                Components = ComponentsOf(i),
                Conversations = i % 6 == 0 ? ["conv-six"] : [],
            });
            _harness.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await _harness.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        for (var i = 0; i < Count; i++)
        {
            await _harness.WalkToAsync(_ids[i], StatusOf(i));
        }
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _harness.DisposeAsync();
        await _db.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> Filters()
    {
        yield return Case("status", new IssueFilter { Status = IssueStatus.Fixed }, i => StatusOf(i) == IssueStatus.Fixed);
        yield return Case("severity", new IssueFilter { Severity = IssueSeverity.High }, i => SeverityOf(i) == IssueSeverity.High);
        yield return Case("priority", new IssueFilter { Priority = IssuePriority.P0 }, i => PriorityOf(i) == IssuePriority.P0);
        yield return Case("category", new IssueFilter { Category = "security" }, i => CategoryOf(i) == "security");
        yield return Case("component", new IssueFilter { Component = "providers" }, i => ComponentsOf(i).Contains("providers"));
        yield return Case("text_phrase", new IssueFilter { Text = "\"rate limit\"" }, i => i % 7 == 0);
        yield return Case("text_in_the_description", new IssueFilter { Text = "hang timeout" }, i => i % 4 == 0);
        yield return Case("text_with_exclusion", new IssueFilter { Text = "issue -rate" }, i => i % 7 != 0);
        yield return Case("linked_conversation", new IssueFilter { ContinuationId = "conv-six" }, i => i % 6 == 0);
        yield return Case("every_condition_at_once",
            new IssueFilter { Status = IssueStatus.Open, Component = "redis", Category = "perf", Text = "issue" },
            i => StatusOf(i) == IssueStatus.Open && ComponentsOf(i).Contains("redis") && CategoryOf(i) == "perf");
        yield return Case("blank_texts_set_no_condition", new IssueFilter { Category = " ", Text = "" }, _ => true);
        yield return Case("nothing_matches", new IssueFilter { Category = "no such category" }, _ => false);
    }

    [TestCaseSource(nameof(Filters))]
    public async Task Filtering(IssueFilter filter, Func<int, bool> expected)
    {
        var page = await Tracker.ListAsync(filter, IssuePage.MaxSize);

        page.Items.Select(i => i.Id).Should().Equal(Newest(expected));
        page.NextCursor.Should().BeNull();
        (await Tracker.CountByStatusAsync(filter)).Total.Should().Be(Newest(expected).Count);
    }

    [Test]
    public async Task Pages_split_the_list_at_their_boundaries_with_nothing_lost_or_repeated()
    {
        var filter = new IssueFilter { Component = "seed" };
        var seen = new List<Guid>();
        var sizes = new List<int>();
        string? cursor = null;
        do
        {
            var page = await Tracker.ListAsync(filter, 7, cursor);
            sizes.Add(page.Items.Count);
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        sizes.Should().Equal(7, 7, 7, 7, 2);
        seen.Should().Equal(Newest(_ => true));
    }

    [Test]
    public async Task A_page_that_ends_exactly_at_the_last_issue_has_no_next_cursor()
    {
        var filter = new IssueFilter { Category = "timeout" };
        var matching = Newest(i => CategoryOf(i) == "timeout");
        matching.Should().HaveCount(6);

        var whole = await Tracker.ListAsync(filter, 6);
        var first = await Tracker.ListAsync(filter, 3);
        var second = await Tracker.ListAsync(filter, 3, first.NextCursor);

        whole.Items.Select(i => i.Id).Should().Equal(matching);
        whole.NextCursor.Should().BeNull();
        first.NextCursor.Should().NotBeNull();
        second.Items.Select(i => i.Id).Should().Equal(matching.Skip(3));
        second.NextCursor.Should().BeNull();
    }

    [Test]
    public async Task Counts_per_status_match_the_issues_for_a_dashboard()
    {
        var all = await Tracker.CountByStatusAsync();
        var critical = await Tracker.CountByStatusAsync(new IssueFilter { Severity = IssueSeverity.Critical });

        foreach (var status in StatusCycle)
        {
            all[status].Should().Be(Enumerable.Range(0, Count).Count(i => StatusOf(i) == status));
            critical[status].Should().Be(Enumerable.Range(0, Count).Count(i => StatusOf(i) == status && SeverityOf(i) == IssueSeverity.Critical));
        }

        all.Total.Should().Be(Count);
    }

    [Test]
    public async Task Listed_issues_carry_their_fields_and_linked_conversations()
    {
        var page = await Tracker.ListAsync(new IssueFilter { ContinuationId = "conv-six", Status = IssueStatus.Open }, 1);

        var issue = page.Items.Single();
        var i = Array.IndexOf(_ids, issue.Id);
        issue.Title.Should().StartWith($"Issue {i}:");
        issue.Severity.Should().Be(SeverityOf(i));
        issue.Priority.Should().Be(PriorityOf(i));
        issue.Components.Should().Equal(ComponentsOf(i));
        issue.LinkedConversations.Should().Equal("conv-six");
        issue.Status.Should().Be(IssueStatus.Open);
    }

    private static TestCaseData Case(string name, IssueFilter filter, Func<int, bool> expected) =>
        new TestCaseData(filter, expected).SetName($"Filtering_by_{name}_returns_exactly_the_matching_issues_newest_first");

    private static IssueStatus StatusOf(int i) => StatusCycle[i % StatusCycle.Length];

    private static IssueSeverity SeverityOf(int i) => (IssueSeverity)((i % 4) + 1);

    private static IssuePriority PriorityOf(int i) => (IssuePriority)((i % 3) + 1);

    private static string CategoryOf(int i) => (i % 5) switch
    {
        0 => "timeout",
        1 => "security",
        _ => "perf",
    };

    private static string[] ComponentsOf(int i)
    {
        var components = new List<string>();
        if (i % 2 == 0)
        {
            components.Add("redis");
        }

        if (i % 3 == 0)
        {
            components.Add("providers");
        }

        components.Add("seed");
        return [.. components];
    }

    private List<Guid> Newest(Func<int, bool> matches) =>
        [.. Enumerable.Range(0, Count).Where(matches).Reverse().Select(i => _ids[i])];
}

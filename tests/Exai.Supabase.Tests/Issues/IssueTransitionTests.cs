using Exai.Supabase.Issues;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Issues;

/// <summary>The status flow: every move allowed and refused, and two callers moving one issue at once.</summary>
public sealed class IssueTransitionTests
{
    private MigratedDatabase _db = null!;
    private IssueHarness _harness = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_issue_flow");
        _harness = IssueHarness.Create(_db.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _harness.DisposeAsync();
        await _db.DisposeAsync();
    }

    public static IEnumerable<TestCaseData> EveryInvalidMove() =>
        from source in Enum.GetValues<IssueStatus>()
        from target in Enum.GetValues<IssueStatus>()
        where !IssueStatusFlow.CanMove(source, target)
        select new TestCaseData(source, target).SetName($"Moving_from_{source}_to_{target}_is_refused_and_changes_nothing");

    public static IEnumerable<TestCaseData> EveryValidMove() =>
        from source in Enum.GetValues<IssueStatus>()
        from target in IssueStatusFlow.AllowedFrom(source)
        select new TestCaseData(source, target).SetName($"Moving_from_{source}_to_{target}_is_allowed_and_recorded");

    [Test]
    public void The_flow_has_24_refused_and_12_allowed_moves_and_every_status_can_be_reopened_or_worked_on()
    {
        EveryInvalidMove().Should().HaveCount(24);
        EveryValidMove().Should().HaveCount(12);
        foreach (var status in Enum.GetValues<IssueStatus>().Where(s => s is not IssueStatus.Open))
        {
            IssueStatusFlow.CanMove(status, IssueStatus.Open).Should().BeTrue($"{status} can be reopened");
        }

        IssueStatusFlow.CanMove(IssueStatus.Fixed, IssueStatus.Fixed).Should().BeFalse("staying put is not a move");
    }

    [TestCaseSource(nameof(EveryInvalidMove))]
    public async Task Invalid_move(IssueStatus from, IssueStatus to)
    {
        var id = await _harness.SavedIssueAsync($"{from} → {to}");
        await _harness.WalkToAsync(id, from);
        var historyBefore = (await _harness.Tracker.GetUpdatesAsync(id)).Count;

        var refused = (await _harness.Invoking(h => h.Tracker.TransitionAsync(id, to, "should not happen")).Should().ThrowAsync<InvalidIssueTransitionException>()).Which;

        refused.IssueId.Should().Be(id);
        refused.From.Should().Be(from);
        refused.To.Should().Be(to);
        refused.Allowed.Should().Equal(IssueStatusFlow.AllowedFrom(from));
        refused.Message.Should().Contain($"from '{IssueVocabulary.ToText(from)}' to '{IssueVocabulary.ToText(to)}'")
            .And.Contain(string.Join(", ", IssueStatusFlow.AllowedFrom(from).Select(IssueVocabulary.ToText)));
        (await _harness.Tracker.GetAsync(id))!.Status.Should().Be(from);
        (await _harness.Tracker.GetUpdatesAsync(id)).Should().HaveCount(historyBefore);
    }

    [TestCaseSource(nameof(EveryValidMove))]
    public async Task Valid_move(IssueStatus from, IssueStatus to)
    {
        var id = await _harness.SavedIssueAsync($"{from} → {to}");
        await _harness.WalkToAsync(id, from);

        var entry = await _harness.Tracker.TransitionAsync(id, to, "moving on", "tester");

        entry.Should().Match<IssueUpdate>(u => u.Kind == IssueUpdateKind.StatusChange && u.FromStatus == from && u.ToStatus == to && u.Author == "tester");
        var issue = (await _harness.Tracker.GetAsync(id))!;
        issue.Status.Should().Be(to);
        (issue.ResolvedAt is not null).Should().Be(to is IssueStatus.Fixed or IssueStatus.Verified or IssueStatus.Closed or IssueStatus.WontFix);
        (issue.ClosedAt is not null).Should().Be(to is IssueStatus.Closed or IssueStatus.WontFix);
        (await _harness.Tracker.GetUpdatesAsync(id))[^1].Should().BeEquivalentTo(entry);
    }

    [Test]
    public async Task Two_callers_making_the_same_move_at_once_are_serialised_and_exactly_one_succeeds()
    {
        var id = await _harness.SavedIssueAsync("raced");
        var (first, second) = await RaceAsync(id, IssueStatus.InProgress, IssueStatus.InProgress);

        var outcomes = new[] { first, second };
        outcomes.Count(o => o.IsCompletedSuccessfully).Should().Be(1);
        var refused = outcomes.Single(o => o.IsFaulted).Exception!.InnerException.Should().BeOfType<InvalidIssueTransitionException>().Which;
        refused.From.Should().Be(IssueStatus.InProgress, "the loser is checked against the status the winner left");
        (await _harness.Tracker.GetUpdatesAsync(id)).Count(u => u.Kind == IssueUpdateKind.StatusChange).Should().Be(1);
    }

    [Test]
    public async Task Two_callers_making_conflicting_moves_at_once_leave_one_move_and_refuse_the_other()
    {
        var id = await _harness.SavedIssueAsync("raced two ways");
        await _harness.WalkToAsync(id, IssueStatus.InProgress);

        var (toFixed, toWontFix) = await RaceAsync(id, IssueStatus.Fixed, IssueStatus.WontFix);

        new[] { toFixed, toWontFix }.Count(o => o.IsCompletedSuccessfully).Should().Be(1);
        var winner = toFixed.IsCompletedSuccessfully ? IssueStatus.Fixed : IssueStatus.WontFix;
        var loser = toFixed.IsCompletedSuccessfully ? toWontFix : toFixed;
        loser.Exception!.InnerException.Should().BeOfType<InvalidIssueTransitionException>().Which.From.Should().Be(winner);
        (await _harness.Tracker.GetAsync(id))!.Status.Should().Be(winner);
        (await _harness.Tracker.GetUpdatesAsync(id)).Where(u => u.Kind == IssueUpdateKind.StatusChange).Select(u => u.ToStatus)
            .Should().Equal(IssueStatus.InProgress, winner);
    }

    /// <summary>
    /// Holds the issue's row lock in a transaction of its own, starts both moves, waits until both are queued on the
    /// lock, then lets them go at once.
    /// </summary>
    private async Task<(Task<IssueUpdate> First, Task<IssueUpdate> Second)> RaceAsync(Guid id, IssueStatus first, IssueStatus second)
    {
        await using var holder = await _db.DataSource.OpenConnectionAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("SELECT 1 FROM issues WHERE id = @id FOR NO KEY UPDATE", holder, transaction))
        {
            command.Parameters.AddWithValue("id", id);
            await command.ExecuteScalarAsync();
        }

        var a = Task.Run(() => _harness.Tracker.TransitionAsync(id, first, author: "a"));
        var b = Task.Run(() => _harness.Tracker.TransitionAsync(id, second, author: "b"));
        await Eventually.TrueAsync(
            async () => await _db.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR NO KEY UPDATE%'") == 2,
            TimeSpan.FromSeconds(30),
            "both moves waiting on the issue's lock");
        await transaction.CommitAsync();

        await Task.WhenAny(Task.WhenAll(a, b), Task.Delay(TimeSpan.FromSeconds(30)));
        a.IsCompleted.Should().BeTrue();
        b.IsCompleted.Should().BeTrue();
        return (a, b);
    }
}

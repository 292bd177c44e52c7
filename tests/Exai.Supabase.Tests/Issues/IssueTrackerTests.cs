using System.Text.Json.Nodes;
using Exai.Supabase.Issues;
using Exai.Supabase.Issues.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase.Tests.Issues;

/// <summary>The tracker against a live server: the whole flow with its history, outbox writes, scopes and input checks.</summary>
public sealed class IssueTrackerTests
{
    private MigratedDatabase _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _db = await MigratedDatabase.CreateAsync("exai_issues");

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _db.DisposeAsync();

    [Test]
    public async Task The_whole_flow_writes_an_update_for_every_change_with_author_and_time()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var tracker = harness.Tracker;
        var t0 = harness.Clock.GetUtcNow();
        var id = tracker.CreateIssue(new IssueDraft
        {
            Title = "AsyncGLM provider has no timeout",
            Description = "Calls hang forever when the API stalls.",
            Severity = IssueSeverity.Critical,
            Category = "timeout",
            Components = ["providers", "async_glm"],
            AffectedFiles = ["src/providers/async_glm.py"],
            Conversations = ["debb44af-15b9-456d-9b88-6a2519f81427"],
            ReportedBy = "qa",
            Checklist = ["Import TimeoutConfig", "Create the client with a timeout", "Test the timeout"],
            Metadata = new JsonObject { ["found_by"] = "qa" },
        });

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        tracker.AddComment(id, "Started on the fix", "claude");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        tracker.LinkConversation(id, "not-a-thread-anywhere", "where the fix was discussed", "claude");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var started = await tracker.TransitionAsync(id, IssueStatus.InProgress, "picking it up", "claude");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        tracker.RecordFix(id, "Client now built with a 30 s timeout", "claude");
        await harness.Outbox.FlushAsync();
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var fixedAt = harness.Clock.GetUtcNow();
        await tracker.TransitionAsync(id, IssueStatus.Fixed, author: "claude");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        tracker.RecordVerification(id, "A hung call now fails after 30 s", "qa");
        await harness.Outbox.FlushAsync();
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await tracker.TransitionAsync(id, IssueStatus.Verified, author: "qa");
        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var closedAt = harness.Clock.GetUtcNow();
        await tracker.TransitionAsync(id, IssueStatus.Closed, author: "qa");

        var issue = (await tracker.GetAsync(id))!;
        issue.Status.Should().Be(IssueStatus.Closed);
        issue.IsPending.Should().BeFalse();
        issue.Priority.Should().Be(IssuePriority.P0, "a critical issue without a priority of its own takes p0");
        issue.Fix.Should().Be("Client now built with a 30 s timeout");
        issue.LinkedConversations.Should().Equal("debb44af-15b9-456d-9b88-6a2519f81427", "not-a-thread-anywhere");
        issue.Components.Should().Equal("providers", "async_glm");
        issue.Metadata["found_by"]!.GetValue<string>().Should().Be("qa");
        issue.CreatedAt.Should().Be(Micro(t0));
        issue.ResolvedAt.Should().Be(Micro(fixedAt));
        issue.ClosedAt.Should().Be(Micro(closedAt));
        issue.UpdatedAt.Should().Be(Micro(closedAt));

        var updates = await tracker.GetUpdatesAsync(id);
        updates.Select(u => u.Kind).Should().Equal(
            IssueUpdateKind.Created,
            IssueUpdateKind.ConversationLink,
            IssueUpdateKind.Comment,
            IssueUpdateKind.ConversationLink,
            IssueUpdateKind.StatusChange,
            IssueUpdateKind.FixApplied,
            IssueUpdateKind.StatusChange,
            IssueUpdateKind.Verification,
            IssueUpdateKind.StatusChange,
            IssueUpdateKind.StatusChange);
        updates.Select(u => u.Author).Should().Equal("qa", "qa", "claude", "claude", "claude", "claude", "claude", "qa", "qa", "qa");
        updates.Select(u => u.CreatedAt).Should().BeInAscendingOrder();
        updates.Select(u => u.CreatedAt).Should().OnlyContain(at => at >= Micro(t0) && at <= Micro(closedAt));
        updates[0].ToStatus.Should().Be(IssueStatus.Open);
        updates.Where(u => u.Kind == IssueUpdateKind.StatusChange).Select(u => (u.FromStatus, u.ToStatus)).Should().Equal(
            (IssueStatus.Open, IssueStatus.InProgress),
            (IssueStatus.InProgress, IssueStatus.Fixed),
            (IssueStatus.Fixed, IssueStatus.Verified),
            (IssueStatus.Verified, IssueStatus.Closed));
        updates[4].Should().BeEquivalentTo(started, "the entry TransitionAsync returns is the one saved");
        updates[4].Body.Should().Be("picking it up");
        updates[3].ContinuationId.Should().Be("not-a-thread-anywhere");
        updates[3].Body.Should().Be("where the fix was discussed");

        (await tracker.GetChecklistAsync(id)).Select(i => (i.Position, i.Text)).Should().Equal(
            (1, "Import TimeoutConfig"), (2, "Create the client with a timeout"), (3, "Test the timeout"));

        harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await tracker.ReopenAsync(id, "came back in production", "ops");
        var reopened = (await tracker.GetAsync(id))!;
        reopened.Status.Should().Be(IssueStatus.Open);
        reopened.ResolvedAt.Should().BeNull();
        reopened.ClosedAt.Should().BeNull();
        (await tracker.GetUpdatesAsync(id))[^1].Should().Match<IssueUpdate>(u =>
            u.FromStatus == IssueStatus.Closed && u.ToStatus == IssueStatus.Open && u.Author == "ops" && u.Body == "came back in production");
    }

    [Test]
    public async Task Creating_an_issue_returns_its_id_at_once_and_this_process_reads_it_while_the_database_is_unreachable()
    {
        // Nothing listens on port 1: every query fails at once, and so does the outbox's drain.
        await using var harness = IssueHarness.Create("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=2");

        var id = harness.Tracker.CreateIssue(new IssueDraft { Title = "Written offline", Checklist = ["first", "second"], Conversations = ["c-1"] });
        var comment = harness.Tracker.AddComment(id, "still offline");

        id.Version.Should().Be(7);
        comment.Should().NotBe(id);
        var issue = await harness.Tracker.GetAsync(id);
        issue.Should().NotBeNull();
        issue!.IsPending.Should().BeTrue();
        issue.Title.Should().Be("Written offline");
        issue.Status.Should().Be(IssueStatus.Open);
        issue.LinkedConversations.Should().Equal("c-1");
        (await harness.Tracker.GetChecklistAsync(id)).Select(i => i.Text).Should().Equal("first", "second");
        harness.Outbox.GetStatistics().Persisted.Should().Be(0);
    }

    [Test]
    public async Task A_change_to_an_issue_still_in_the_outbox_waits_for_it_to_be_saved()
    {
        // Batches wait long enough that the record is surely still queued when the change comes.
        await using var harness = IssueHarness.Create(_db.ConnectionString, o => o.MaxBatchAge = TimeSpan.FromSeconds(30));
        var id = harness.Tracker.CreateIssue(new IssueDraft { Title = "Fresh", Checklist = ["only step"] });
        (await harness.Tracker.GetAsync(id))!.IsPending.Should().BeTrue();

        var moved = await harness.Tracker.TransitionAsync(id, IssueStatus.InProgress).WaitAsync(TimeSpan.FromSeconds(60));

        moved.FromStatus.Should().Be(IssueStatus.Open);
        var issue = (await harness.Tracker.GetAsync(id))!;
        issue.IsPending.Should().BeFalse();
        issue.Status.Should().Be(IssueStatus.InProgress);
    }

    [Test]
    public async Task Saved_issues_leave_the_pending_view()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var ids = Enumerable.Range(0, 20).Select(i => harness.Tracker.CreateIssue(new IssueDraft { Title = $"pending {i}", Checklist = ["x"] })).ToList();

        await harness.Outbox.FlushAsync();

        harness.Pending.Count.Should().Be(0);
        ids.Should().OnlyContain(id => !harness.Pending.Contains(id));
        (await harness.Tracker.GetAsync(ids[0]))!.IsPending.Should().BeFalse();
    }

    [Test]
    public async Task A_copy_left_in_the_pending_view_never_hides_the_saved_issue()
    {
        // As after a spill replay: the record that landed was read back from disk and cannot tell the view.
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var id = UuidV7.NewId(now.ToUnixTimeMilliseconds());
        harness.Pending.TryAdd(
            new Issue { Id = id, Title = "stale", Severity = IssueSeverity.Low, Priority = IssuePriority.P3, Status = IssueStatus.Open, CreatedAt = now, UpdatedAt = now, IsPending = true },
            [new IssueChecklistItem { Id = Guid.NewGuid(), IssueId = id, Position = 1, Text = "stale step", State = ChecklistItemState.Pending, CreatedAt = now }]);
        harness.Processor.Record(new NewIssueRecord { Id = id, RecordedAt = now, CreatedUpdateId = Guid.NewGuid(), Title = "saved", Severity = "high", Priority = "p1" });
        await harness.Outbox.FlushAsync();

        (await harness.Tracker.GetChecklistAsync(id)).Should().BeEmpty();
        var issue = (await harness.Tracker.GetAsync(id))!;
        issue.Title.Should().Be("saved");
        issue.IsPending.Should().BeFalse();
        harness.Pending.Contains(id).Should().BeFalse();
    }

    [Test]
    public async Task A_checklist_change_on_an_issue_still_in_the_outbox_waits_for_it_to_be_saved()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString, o => o.MaxBatchAge = TimeSpan.FromSeconds(30));
        var id = harness.Tracker.CreateIssue(new IssueDraft { Title = "Fresh", Checklist = ["only step"] });
        var item = (await harness.Tracker.GetChecklistAsync(id)).Single();

        var done = await harness.Tracker.CompleteChecklistItemAsync(item.Id, "me").WaitAsync(TimeSpan.FromSeconds(60));

        done.State.Should().Be(ChecklistItemState.Completed);
        done.Id.Should().Be(item.Id, "checklist item ids are made by the client, so the pending view's ids are the saved ones");
    }

    [Test]
    public async Task An_entry_made_elsewhere_for_an_issue_still_on_its_way_waits_for_it()
    {
        await using var creator = IssueHarness.Create(_db.ConnectionString, o => o.MaxBatchAge = TimeSpan.FromSeconds(30));
        await using var other = IssueHarness.Create(_db.ConnectionString);
        var id = creator.Tracker.CreateIssue(new IssueDraft { Title = "Made by one instance" });

        other.Tracker.AddComment(id, "seen by another instance");
        var otherSaved = other.Outbox.FlushAsync();
        await Eventually.TrueAsync(() => Task.FromResult(other.Outbox.GetStatistics().WaitingForParent > 0), TimeSpan.FromSeconds(30), "the comment waiting for its issue");
        otherSaved.IsCompleted.Should().BeFalse();

        await creator.Outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await otherSaved.WaitAsync(TimeSpan.FromSeconds(60));

        (await other.Tracker.GetUpdatesAsync(id)).Select(u => u.Kind).Should().Equal(IssueUpdateKind.Created, IssueUpdateKind.Comment);
        other.Outbox.GetStatistics().DeadLettered.Should().Be(0);
    }

    [Test]
    public async Task A_replayed_issue_record_lands_once_with_its_children_once()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        NewIssueRecord Record(Guid id, Guid created, Guid link, Guid item) => new()
        {
            Id = id,
            RecordedAt = now,
            CreatedUpdateId = created,
            Title = "Replayed",
            Severity = "high",
            Priority = "p1",
            Conversations = ["c-replay"],
            ConversationUpdateIds = [link],
            Checklist = ["step"],
            ChecklistIds = [item],
        };
        var (issueId, createdId, linkId, itemId) = (UuidV7.NewId(now.ToUnixTimeMilliseconds()), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        harness.Processor.Record(Record(issueId, createdId, linkId, itemId));
        harness.Processor.Record(Record(issueId, createdId, linkId, itemId));
        await harness.Outbox.FlushAsync();
        harness.Processor.Record(Record(issueId, createdId, linkId, itemId));
        await harness.Outbox.FlushAsync();

        (await _db.ScalarAsync<long>("SELECT count(*) FROM issues WHERE id = @id", ("id", issueId))).Should().Be(1);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM issue_updates WHERE issue_id = @id", ("id", issueId))).Should().Be(2);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM issue_checklist_items WHERE issue_id = @id", ("id", issueId))).Should().Be(1);
        harness.Outbox.GetStatistics().DeadLettered.Should().Be(0);
    }

    [Test]
    public async Task The_latest_fix_stays_the_issues_fix_even_when_an_earlier_one_lands_after_it()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var id = await harness.SavedIssueAsync();
        var earlier = DateTimeOffset.UtcNow;
        var later = earlier.AddSeconds(5);
        IssueEntryRecord Fix(string body, DateTimeOffset at) => new()
        {
            Id = UuidV7.NewId(at.ToUnixTimeMilliseconds()),
            RecordedAt = at,
            IssueId = id,
            EntryKind = "fix_applied",
            Body = body,
        };

        harness.Processor.Record(Fix("the later fix", later));
        await harness.Outbox.FlushAsync();
        harness.Processor.Record(Fix("the earlier fix", earlier));
        await harness.Outbox.FlushAsync();

        (await harness.Tracker.GetAsync(id))!.Fix.Should().Be("the later fix");
        (await harness.Tracker.GetUpdatesAsync(id)).Count(u => u.Kind == IssueUpdateKind.FixApplied).Should().Be(2);
    }

    [Test]
    public async Task In_a_user_scope_the_tracker_writes_as_the_service_with_the_user_as_author()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var user = Guid.NewGuid();
        Guid id;
        using (ExaiScope.Begin(ExaiScope.ForUser(user)))
        {
            id = harness.Tracker.CreateIssue(new IssueDraft { Title = "Reported by a user" });
            harness.Tracker.AddComment(id, "a user's comment");
            await harness.Outbox.FlushAsync();
            await harness.Tracker.TransitionAsync(id, IssueStatus.InProgress);
            var issue = await harness.Tracker.GetAsync(id);
            issue!.ReportedBy.Should().Be(user.ToString(), "users may read issues in their own scope");
        }

        (await harness.Tracker.GetUpdatesAsync(id)).Select(u => u.Author).Should().OnlyContain(a => a == user.ToString());
        harness.Outbox.GetStatistics().DeadLettered.Should().Be(0);
    }

    [Test]
    public async Task UpdateAsync_records_each_changed_field_with_its_values_before_and_after_and_skips_no_ops()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var id = await harness.SavedIssueAsync(new IssueDraft { Title = "Redis not authenticated", Severity = IssueSeverity.High, Category = "security" });
        harness.Clock.Advance(TimeSpan.FromHours(1));

        var changed = await harness.Tracker.UpdateAsync(id, new IssueChanges
        {
            Severity = IssueSeverity.Critical,
            RootCause = "requirepass never set",
            Components = ["redis"],
            Category = string.Empty,
            Metadata = new JsonObject { ["cve"] = "none" },
        }, "sec");
        var again = await harness.Tracker.UpdateAsync(id, new IssueChanges { Severity = IssueSeverity.Critical, Title = "Redis not authenticated" }, "sec");

        changed.Severity.Should().Be(IssueSeverity.Critical);
        changed.Priority.Should().Be(IssuePriority.P1, "a priority is not re-derived when the severity changes");
        changed.RootCause.Should().Be("requirepass never set");
        changed.Category.Should().BeNull();
        changed.Components.Should().Equal("redis");
        changed.Metadata["cve"]!.GetValue<string>().Should().Be("none");
        changed.UpdatedAt.Should().Be(Micro(harness.Clock.GetUtcNow()));
        again.Should().BeEquivalentTo(changed, o => o.Excluding(i => i.Metadata));
        again.Metadata.ToJsonString().Should().Be(changed.Metadata.ToJsonString());

        var fieldChanges = (await harness.Tracker.GetUpdatesAsync(id)).Where(u => u.Kind == IssueUpdateKind.FieldChange).ToList();
        fieldChanges.Should().ContainSingle();
        var details = fieldChanges[0].Metadata["changes"]!.AsObject();
        details.Select(p => p.Key).Should().BeEquivalentTo("severity", "category", "components", "root_cause", "metadata");
        details["severity"]!["from"]!.GetValue<string>().Should().Be("high");
        details["severity"]!["to"]!.GetValue<string>().Should().Be("critical");
        details["category"]!["to"].Should().BeNull();
        fieldChanges[0].Author.Should().Be("sec");
        fieldChanges[0].Body.Should().Contain("severity: high → critical");
    }

    [Test]
    public async Task Changing_an_issue_that_does_not_exist_is_a_typed_error()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var nowhere = Guid.NewGuid();

        (await harness.Invoking(h => h.Tracker.TransitionAsync(nowhere, IssueStatus.InProgress)).Should().ThrowAsync<IssueNotFoundException>())
            .Which.Id.Should().Be(nowhere);
        await harness.Invoking(h => h.Tracker.UpdateAsync(nowhere, new IssueChanges { Title = "x" })).Should().ThrowAsync<IssueNotFoundException>();
        await harness.Invoking(h => h.Tracker.AddChecklistItemAsync(nowhere, "x")).Should().ThrowAsync<IssueNotFoundException>();
        (await harness.Invoking(h => h.Tracker.CompleteChecklistItemAsync(nowhere)).Should().ThrowAsync<IssueNotFoundException>())
            .Which.IsChecklistItem.Should().BeTrue();
        (await harness.Tracker.GetAsync(nowhere)).Should().BeNull();
    }

    [Test]
    public async Task Empty_titles_and_unknown_values_are_typed_errors_and_nothing_is_queued()
    {
        await using var harness = IssueHarness.Create(_db.ConnectionString);
        var tracker = harness.Tracker;
        var before = harness.Outbox.GetStatistics().Recorded;

        tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = string.Empty })).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("draft.Title");
        tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = "  \t " })).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("draft.Title");
        tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = null! })).Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("draft.Title");
        tracker.Invoking(t => t.CreateIssue(null!)).Should().Throw<ArgumentNullException>();
        var severity = tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = "x", Severity = (IssueSeverity)42 })).Should().Throw<UnknownIssueValueException>().Which;
        severity.ParamName.Should().Be("draft.Severity");
        severity.Field.Should().Be("severity");
        severity.Accepted.Should().Equal("critical", "high", "medium", "low");
        tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = "x", Priority = (IssuePriority)0 })).Should().Throw<UnknownIssueValueException>().Which.ParamName.Should().Be("draft.Priority");
        tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = "x", Components = ["ok", ""] })).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("draft.Components[1]");
        tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = "x", Checklist = ["a\0b"] })).Should().Throw<ArgumentException>();
        tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = new string('t', Limits.ShortTextLength + 1) })).Should().Throw<ArgumentOutOfRangeException>();
        tracker.Invoking(t => t.AddComment(Guid.NewGuid(), " ")).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("body");
        tracker.Invoking(t => t.AddComment(Guid.Empty, "text")).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("issueId");
        tracker.Invoking(t => t.LinkConversation(Guid.NewGuid(), "")).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("continuationId");
        tracker.Invoking(t => t.RecordFix(Guid.NewGuid(), "")).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("fix");
        await tracker.Invoking(t => t.TransitionAsync(Guid.NewGuid(), (IssueStatus)9)).Should().ThrowAsync<UnknownIssueValueException>();
        await tracker.Invoking(t => t.SetChecklistItemStateAsync(Guid.NewGuid(), default)).Should().ThrowAsync<UnknownIssueValueException>();
        await tracker.Invoking(t => t.UpdateAsync(Guid.NewGuid(), new IssueChanges { Title = "" })).Should().ThrowAsync<ArgumentException>();
        await tracker.Invoking(t => t.ListAsync(new IssueFilter { Severity = (IssueSeverity)7 })).Should().ThrowAsync<UnknownIssueValueException>();
        tracker.Invoking(t => t.CreateIssue(new IssueDraft { Title = "x", Severity = IssueVocabulary.ParseSeverity("urgentish") }))
            .Should().Throw<UnknownIssueValueException>().Which.Value.Should().Be("urgentish");

        harness.Outbox.GetStatistics().Recorded.Should().Be(before);
    }

    [Test]
    public async Task Calling_AddExaiSupabase_twice_registers_the_tracker_and_its_kinds_once()
    {
        var services = new ServiceCollection();
        services.AddExaiSupabase(o => o.ConnectionString = _db.ConnectionString);
        services.AddExaiSupabase(o => o.ConnectionString = _db.ConnectionString);

        services.Count(d => d.ServiceType == typeof(IIssueTracker)).Should().Be(1);
        services.Count(d => d.ImplementationType == typeof(NewIssueKind)).Should().Be(1);
        services.Count(d => d.ImplementationType == typeof(IssueEntryKind)).Should().Be(1);
        await Task.CompletedTask;
    }

    private static DateTimeOffset Micro(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));
}

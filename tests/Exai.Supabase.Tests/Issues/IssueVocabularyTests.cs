using Exai.Supabase.Issues;

namespace Exai.Supabase.Tests.Issues;

/// <summary>The one vocabulary and how the legacy tables' values map onto it.</summary>
public sealed class IssueVocabularyTests
{
    [TestCase("critical", IssueSeverity.Critical)]
    [TestCase("CRITICAL", IssueSeverity.Critical)]
    [TestCase("Critical", IssueSeverity.Critical)]
    [TestCase("P0", IssueSeverity.Critical)]
    [TestCase("blocker", IssueSeverity.Critical)]
    [TestCase("High", IssueSeverity.High)]
    [TestCase("major", IssueSeverity.High)]
    [TestCase("moderate", IssueSeverity.Medium)]
    [TestCase("  Medium ", IssueSeverity.Medium)]
    [TestCase("LOW", IssueSeverity.Low)]
    [TestCase("trivial", IssueSeverity.Low)]
    public void Legacy_severities_map(string legacy, IssueSeverity expected) =>
        IssueVocabulary.ParseSeverity(legacy).Should().Be(expected);

    [TestCase("P0", IssuePriority.P0)]
    [TestCase("p0", IssuePriority.P0)]
    [TestCase("0", IssuePriority.P0)]
    [TestCase("CRITICAL", IssuePriority.P0)]
    [TestCase("Immediate", IssuePriority.P0)]
    [TestCase("P1", IssuePriority.P1)]
    [TestCase("HIGH", IssuePriority.P1)]
    [TestCase("MEDIUM", IssuePriority.P2)]
    [TestCase("2", IssuePriority.P2)]
    [TestCase("LOW", IssuePriority.P3)]
    [TestCase("P4", IssuePriority.P3)]
    public void Legacy_priorities_map(string legacy, IssuePriority expected) =>
        IssueVocabulary.ParsePriority(legacy).Should().Be(expected);

    [TestCase("open", IssueStatus.Open)]
    [TestCase("OPEN", IssueStatus.Open)]
    [TestCase("New", IssueStatus.Open)]
    [TestCase("Needs triage", IssueStatus.Open)]
    [TestCase("IN_PROGRESS", IssueStatus.InProgress)]
    [TestCase("in-progress", IssueStatus.InProgress)]
    [TestCase("In Progress", IssueStatus.InProgress)]
    [TestCase("InProgress", IssueStatus.InProgress)]
    [TestCase("Root Cause Identified", IssueStatus.InProgress)]
    [TestCase("Investigating", IssueStatus.InProgress)]
    [TestCase("fixed", IssueStatus.Fixed)]
    [TestCase("Fixed", IssueStatus.Fixed)]
    [TestCase("RESOLVED", IssueStatus.Fixed)]
    [TestCase("Resolved", IssueStatus.Fixed)]
    [TestCase("verified", IssueStatus.Verified)]
    [TestCase("Verified ✅", IssueStatus.Verified)]
    [TestCase("closed", IssueStatus.Closed)]
    [TestCase("wont_fix", IssueStatus.WontFix)]
    [TestCase("WONT_FIX", IssueStatus.WontFix)]
    [TestCase("Won't Fix", IssueStatus.WontFix)]
    [TestCase("wontfix", IssueStatus.WontFix)]
    [TestCase("Duplicate", IssueStatus.WontFix)]
    public void Legacy_statuses_map(string legacy, IssueStatus expected) =>
        IssueVocabulary.ParseStatus(legacy).Should().Be(expected);

    [TestCase("STATUS_CHANGE", IssueUpdateKind.StatusChange)]
    [TestCase("Verified ✅", IssueUpdateKind.Verification)]
    [TestCase("note", IssueUpdateKind.Comment)]
    [TestCase("fix_applied", IssueUpdateKind.FixApplied)]
    public void Legacy_update_types_map(string legacy, IssueUpdateKind expected) =>
        IssueVocabulary.ParseUpdateKind(legacy).Should().Be(expected);

    [TestCase("complete", ChecklistItemState.Completed)]
    [TestCase("Complete", ChecklistItemState.Completed)]
    [TestCase("DONE", ChecklistItemState.Completed)]
    [TestCase("SKIPPED", ChecklistItemState.Skipped)]
    [TestCase("todo", ChecklistItemState.Pending)]
    [TestCase("in_progress", ChecklistItemState.Pending)]
    public void Legacy_checklist_states_map(string legacy, ChecklistItemState expected) =>
        IssueVocabulary.ParseChecklistState(legacy).Should().Be(expected);

    [Test]
    public void Every_value_round_trips_through_its_stored_text_and_its_name()
    {
        foreach (var value in Enum.GetValues<IssueSeverity>())
        {
            IssueVocabulary.ParseSeverity(IssueVocabulary.ToText(value)).Should().Be(value);
            IssueVocabulary.ParseSeverity(value.ToString()).Should().Be(value);
        }

        foreach (var value in Enum.GetValues<IssuePriority>())
        {
            IssueVocabulary.ParsePriority(IssueVocabulary.ToText(value)).Should().Be(value);
        }

        foreach (var value in Enum.GetValues<IssueStatus>())
        {
            IssueVocabulary.ParseStatus(IssueVocabulary.ToText(value)).Should().Be(value);
            IssueVocabulary.ParseStatus(value.ToString()).Should().Be(value);
        }

        foreach (var value in Enum.GetValues<IssueUpdateKind>())
        {
            IssueVocabulary.ParseUpdateKind(IssueVocabulary.ToText(value)).Should().Be(value);
        }

        foreach (var value in Enum.GetValues<ChecklistItemState>())
        {
            IssueVocabulary.ParseChecklistState(IssueVocabulary.ToText(value)).Should().Be(value);
        }

        Enum.GetValues<IssueStatus>().Select(IssueVocabulary.ToText).Should().Equal("open", "in_progress", "fixed", "verified", "closed", "wont_fix");
    }

    [TestCase("Deferred to phase 2")]
    [TestCase("")]
    [TestCase("   ")]
    [TestCase("???")]
    [TestCase("opened maybe")]
    public void An_unknown_status_is_a_typed_error_naming_the_accepted_values(string legacy)
    {
        var error = FluentActions.Invoking(() => IssueVocabulary.ParseStatus(legacy)).Should().Throw<UnknownIssueValueException>().Which;

        error.Should().BeAssignableTo<ArgumentException>();
        error.Field.Should().Be("status");
        error.Value.Should().Be(legacy);
        error.Accepted.Should().Equal("open", "in_progress", "fixed", "verified", "closed", "wont_fix");
        error.Message.Should().Contain("open, in_progress, fixed, verified, closed, wont_fix");
        IssueVocabulary.TryParseStatus(legacy, out _).Should().BeFalse();
    }

    [Test]
    public void Unknown_severities_priorities_and_undefined_members_are_typed_errors()
    {
        FluentActions.Invoking(() => IssueVocabulary.ParseSeverity("urgentish")).Should().Throw<UnknownIssueValueException>().Which.Field.Should().Be("severity");
        FluentActions.Invoking(() => IssueVocabulary.ParsePriority("P9")).Should().Throw<UnknownIssueValueException>().Which.Field.Should().Be("priority");
        FluentActions.Invoking(() => IssueVocabulary.ParseSeverity(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => IssueVocabulary.ToText((IssueStatus)0)).Should().Throw<UnknownIssueValueException>();
        FluentActions.Invoking(() => IssueVocabulary.ToText((IssueSeverity)5)).Should().Throw<UnknownIssueValueException>();
        FluentActions.Invoking(() => IssueStatusFlow.AllowedFrom((IssueStatus)7)).Should().Throw<UnknownIssueValueException>();
        IssueVocabulary.TryParsePriority(null, out _).Should().BeFalse();
    }

    [Test]
    public void A_severity_implies_a_priority_for_rows_without_one()
    {
        Enum.GetValues<IssueSeverity>().Select(IssueVocabulary.PriorityFor)
            .Should().Equal(IssuePriority.P0, IssuePriority.P1, IssuePriority.P2, IssuePriority.P3);
    }

    [Test]
    public void Normal_forms_match_the_documented_sql_expression_on_tricky_inputs()
    {
        IssueVocabulary.Normalize("  Won't--Fix!! ").Should().Be("won_t_fix");
        IssueVocabulary.Normalize("Root Cause Identified").Should().Be("root_cause_identified");
        IssueVocabulary.Normalize("Verified ✅").Should().Be("verified");
        IssueVocabulary.Normalize(null).Should().BeEmpty();
    }
}

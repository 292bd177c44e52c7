using Exai.Supabase.Issues.Internal;

namespace Exai.Supabase.Tests.Issues;

public sealed class LegacyVocabularyTests
{
    [TestCase("Critical", "critical")]
    [TestCase("CRITICAL", "critical")]
    [TestCase(" high ", "high")]
    [TestCase("Moderate", "medium")]
    [TestCase("minor", "low")]
    [TestCase("Annoying", "medium")]
    [TestCase(null, "medium")]
    public void Severities_map_onto_the_trackers_four(string? legacy, string expected) =>
        LegacyVocabulary.MapSeverity(legacy).Should().Be(expected);

    [TestCase("P0", null, "p0")]
    [TestCase("p1", null, "p1")]
    [TestCase("Critical", null, "p0")]
    [TestCase(null, "high", "p1")]
    [TestCase("someday", "low", "p3")]
    [TestCase(null, null, "p2")]
    public void Priorities_map_onto_the_trackers_four_and_fall_back_on_the_severity(string? legacy, string? severity, string expected) =>
        LegacyVocabulary.MapPriority(legacy, severity).Should().Be(expected);

    [TestCase("RESOLVED", "fixed")]
    [TestCase("Root Cause Identified", "in_progress")]
    [TestCase("Fix In Progress", "in_progress")]
    [TestCase("New", "open")]
    [TestCase("Verified", "verified")]
    [TestCase("Won't Fix", "wont_fix")]
    [TestCase("WONT-FIX", "wont_fix")]
    [TestCase("Deferred to phase 2", "open")]
    public void Statuses_map_onto_the_trackers_six(string legacy, string expected) =>
        LegacyVocabulary.MapStatus(legacy).Should().Be(expected);

    [TestCase("STATUS_CHANGE", "status_change")]
    [TestCase("Verified ✅", "verification")]
    [TestCase("note", "comment")]
    [TestCase("whatever", "comment")]
    public void Update_types_map_onto_the_trackers_kinds(string legacy, string expected) =>
        LegacyVocabulary.MapUpdateKind(legacy).Should().Be(expected);

    [TestCase("complete", "completed")]
    [TestCase("SKIPPED", "skipped")]
    [TestCase("in_progress", "pending")]
    [TestCase("true", "completed")]
    public void Checklist_states_map_onto_the_trackers_three(string legacy, string expected) =>
        LegacyVocabulary.MapChecklistState(legacy).Should().Be(expected);

    [Test]
    public void Every_table_maps_only_onto_values_the_database_accepts()
    {
        LegacyVocabulary.Severity.Values.Should().BeSubsetOf(["critical", "high", "medium", "low"]);
        LegacyVocabulary.Priority.Values.Concat(LegacyVocabulary.PriorityFromSeverity.Values).Should().BeSubsetOf(["p0", "p1", "p2", "p3"]);
        LegacyVocabulary.Status.Values.Should().BeSubsetOf(["open", "in_progress", "fixed", "verified", "closed", "wont_fix"]);
        LegacyVocabulary.UpdateKind.Values.Should().BeSubsetOf(
            ["created", "comment", "status_change", "fix_applied", "verification", "conversation_link", "field_change", "checklist"]);
        LegacyVocabulary.ChecklistState.Values.Should().BeSubsetOf(["pending", "completed", "skipped"]);
        LegacyVocabulary.Status.Keys.Should().OnlyContain(k => k == LegacyVocabulary.Normalize(k), "keys are stored in normal form");
    }
}

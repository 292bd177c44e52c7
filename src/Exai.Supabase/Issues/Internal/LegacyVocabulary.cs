using System.Collections.Frozen;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// Maps the free-form values of EX-AI-MCP-Server's four issue tables (<c>Critical</c>, <c>CRITICAL</c>, <c>P0</c>,
/// <c>RESOLVED</c>, <c>Root Cause Identified</c>, …) onto the tracker's closed vocabularies. Legacy adoption applies
/// these tables in SQL (they are passed as JSON parameters); the issue tracker may use them for lenient input.
/// </summary>
/// <remarks>
/// A value is looked up by its <see cref="Normalize(string?)">normal form</see>: lower case, every run of characters
/// other than <c>a–z</c> and <c>0–9</c> turned into one <c>_</c>, leading and trailing <c>_</c> removed, so
/// <c>"Won't Fix"</c>, <c>"WONT-FIX"</c> and <c>"wont_fix"</c> meet at <c>won_t_fix</c> / <c>wont_fix</c>. A value that
/// is missing or not in a table gets that table's default; adoption keeps every original value in
/// <c>metadata.legacy</c>, so nothing is lost by the mapping. The same normal form is computed in SQL by
/// <see cref="NormalizeSql(string)"/>.
/// </remarks>
internal static class LegacyVocabulary
{
    /// <summary>Severity when the legacy value is missing or unknown.</summary>
    public const string DefaultSeverity = "medium";

    /// <summary>Priority when neither the legacy priority nor the severity gives one.</summary>
    public const string DefaultPriority = "p2";

    /// <summary>Status when the legacy value is missing or unknown (free text such as "Needs triage").</summary>
    public const string DefaultStatus = "open";

    /// <summary>Kind of an update when the legacy <c>update_type</c> is missing or unknown.</summary>
    public const string DefaultUpdateKind = "comment";

    /// <summary>State of a checklist step when the legacy value is missing or unknown.</summary>
    public const string DefaultChecklistState = "pending";

    // The tables are the tracker's own vocabulary (IssueVocabulary), as text, so adoption and the tracker can
    // never disagree on what a legacy value means.

    /// <summary>Legacy severity (normal form) → <c>critical | high | medium | low</c>.</summary>
    public static readonly FrozenDictionary<string, string> Severity = AsText(IssueVocabulary.SeveritySynonyms, IssueVocabulary.ToText);

    /// <summary>Legacy priority (normal form) → <c>p0 | p1 | p2 | p3</c>.</summary>
    public static readonly FrozenDictionary<string, string> Priority = AsText(IssueVocabulary.PrioritySynonyms, IssueVocabulary.ToText);

    /// <summary>
    /// The priority implied by a mapped severity, for legacy tables with no priority of their own (or an empty one):
    /// critical → p0, high → p1, medium → p2, low → p3.
    /// </summary>
    public static readonly FrozenDictionary<string, string> PriorityFromSeverity = Enum.GetValues<IssueSeverity>()
        .ToDictionary(IssueVocabulary.ToText, s => IssueVocabulary.ToText(IssueVocabulary.PriorityFor(s)), StringComparer.Ordinal)
        .ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Legacy status (normal form) → <c>open | in_progress | fixed | verified | closed | wont_fix</c>.</summary>
    public static readonly FrozenDictionary<string, string> Status = AsText(IssueVocabulary.StatusSynonyms, IssueVocabulary.ToText);

    /// <summary>
    /// Legacy <c>update_type</c> (normal form) → <c>created | comment | status_change | fix_applied | verification |
    /// conversation_link | field_change | checklist</c>.
    /// </summary>
    public static readonly FrozenDictionary<string, string> UpdateKind = AsText(IssueVocabulary.UpdateKindSynonyms, IssueVocabulary.ToText);

    /// <summary>Legacy checklist status (normal form) → <c>pending | completed | skipped</c>.</summary>
    public static readonly FrozenDictionary<string, string> ChecklistState = AsText(IssueVocabulary.ChecklistStateSynonyms, IssueVocabulary.ToText);

    /// <summary>The normal form of a legacy value: see <see cref="IssueVocabulary.Normalize(string?)"/>.</summary>
    /// <param name="value">The legacy value; may be <see langword="null"/>.</param>
    /// <returns>The normal form; empty for <see langword="null"/> or a value without letters and digits.</returns>
    public static string Normalize(string? value) => IssueVocabulary.Normalize(value);

    /// <summary>
    /// The SQL expression computing <see cref="Normalize(string?)"/> of a text expression, so the database applies
    /// the same tables.
    /// </summary>
    /// <param name="textExpression">A SQL expression of type text.</param>
    /// <returns>The SQL expression.</returns>
    public static string NormalizeSql(string textExpression) =>
        $"btrim(regexp_replace(lower({textExpression}), '[^a-z0-9]+', '_', 'g'), '_')";

    /// <summary>Maps a legacy severity.</summary>
    /// <param name="legacy">The legacy value.</param>
    /// <returns>One of <c>critical</c>, <c>high</c>, <c>medium</c>, <c>low</c>.</returns>
    public static string MapSeverity(string? legacy) => Map(Severity, legacy, DefaultSeverity);

    /// <summary>Maps a legacy priority, falling back on the one implied by the (mapped) severity.</summary>
    /// <param name="legacy">The legacy priority.</param>
    /// <param name="mappedSeverity">The severity already mapped with <see cref="MapSeverity(string?)"/>, if any.</param>
    /// <returns>One of <c>p0</c>, <c>p1</c>, <c>p2</c>, <c>p3</c>.</returns>
    public static string MapPriority(string? legacy, string? mappedSeverity = null) =>
        Priority.TryGetValue(Normalize(legacy), out var priority) ? priority
        : mappedSeverity is not null && PriorityFromSeverity.TryGetValue(mappedSeverity, out var implied) ? implied
        : DefaultPriority;

    /// <summary>Maps a legacy status.</summary>
    /// <param name="legacy">The legacy value.</param>
    /// <returns>One of <c>open</c>, <c>in_progress</c>, <c>fixed</c>, <c>verified</c>, <c>closed</c>, <c>wont_fix</c>.</returns>
    public static string MapStatus(string? legacy) => Map(Status, legacy, DefaultStatus);

    /// <summary>Maps a legacy update type.</summary>
    /// <param name="legacy">The legacy value.</param>
    /// <returns>A kind accepted by <c>issue_updates.kind</c>.</returns>
    public static string MapUpdateKind(string? legacy) => Map(UpdateKind, legacy, DefaultUpdateKind);

    /// <summary>Maps a legacy checklist status.</summary>
    /// <param name="legacy">The legacy value.</param>
    /// <returns>One of <c>pending</c>, <c>completed</c>, <c>skipped</c>.</returns>
    public static string MapChecklistState(string? legacy) => Map(ChecklistState, legacy, DefaultChecklistState);

    /// <summary>Whether a legacy value is in a table (as opposed to falling back on the default).</summary>
    /// <param name="table">One of the tables of this class.</param>
    /// <param name="legacy">The legacy value.</param>
    /// <returns><see langword="true"/> when the value is known.</returns>
    public static bool IsKnown(FrozenDictionary<string, string> table, string? legacy) => table.ContainsKey(Normalize(legacy));

    private static string Map(FrozenDictionary<string, string> table, string? legacy, string fallback) =>
        table.TryGetValue(Normalize(legacy), out var value) ? value : fallback;

    private static FrozenDictionary<string, string> AsText<T>(IReadOnlyDictionary<string, T> synonyms, Func<T, string> text) =>
        synonyms.ToDictionary(p => p.Key, p => text(p.Value), StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal);
}

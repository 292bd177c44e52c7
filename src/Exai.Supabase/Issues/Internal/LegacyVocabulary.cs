using System.Collections.Frozen;
using System.Text;

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

    /// <summary>Legacy severity (normal form) → <c>critical | high | medium | low</c>.</summary>
    public static readonly FrozenDictionary<string, string> Severity = Build(
        ("critical", "critical"), ("crit", "critical"), ("blocker", "critical"), ("showstopper", "critical"),
        ("severe", "critical"), ("urgent", "critical"), ("p0", "critical"), ("sev0", "critical"), ("sev1", "critical"),
        ("high", "high"), ("major", "high"), ("important", "high"), ("p1", "high"), ("sev2", "high"),
        ("medium", "medium"), ("med", "medium"), ("moderate", "medium"), ("normal", "medium"), ("p2", "medium"), ("sev3", "medium"),
        ("low", "low"), ("minor", "low"), ("trivial", "low"), ("cosmetic", "low"), ("info", "low"),
        ("informational", "low"), ("p3", "low"), ("sev4", "low"));

    /// <summary>Legacy priority (normal form) → <c>p0 | p1 | p2 | p3</c>.</summary>
    public static readonly FrozenDictionary<string, string> Priority = Build(
        ("p0", "p0"), ("0", "p0"), ("immediate", "p0"), ("urgent", "p0"), ("critical", "p0"), ("highest", "p0"), ("blocker", "p0"),
        ("p1", "p1"), ("1", "p1"), ("high", "p1"), ("important", "p1"),
        ("p2", "p2"), ("2", "p2"), ("medium", "p2"), ("normal", "p2"), ("moderate", "p2"),
        ("p3", "p3"), ("3", "p3"), ("p4", "p3"), ("4", "p3"), ("low", "p3"), ("lowest", "p3"), ("minor", "p3"), ("trivial", "p3"));

    /// <summary>
    /// The priority implied by a mapped severity, for legacy tables with no priority of their own (or an empty one):
    /// critical → p0, high → p1, medium → p2, low → p3.
    /// </summary>
    public static readonly FrozenDictionary<string, string> PriorityFromSeverity = Build(
        ("critical", "p0"), ("high", "p1"), ("medium", "p2"), ("low", "p3"));

    /// <summary>Legacy status (normal form) → <c>open | in_progress | fixed | verified | closed | wont_fix</c>.</summary>
    public static readonly FrozenDictionary<string, string> Status = Build(
        ("open", "open"), ("new", "open"), ("todo", "open"), ("to_do", "open"), ("reported", "open"), ("triage", "open"),
        ("needs_triage", "open"), ("backlog", "open"), ("reopened", "open"), ("pending", "open"), ("deferred", "open"),
        ("postponed", "open"), ("blocked", "open"), ("not_started", "open"), ("identified", "open"),
        ("in_progress", "in_progress"), ("inprogress", "in_progress"), ("investigating", "in_progress"),
        ("under_investigation", "in_progress"), ("root_cause_identified", "in_progress"), ("fix_in_progress", "in_progress"),
        ("in_review", "in_progress"), ("active", "in_progress"), ("working", "in_progress"), ("started", "in_progress"),
        ("assigned", "in_progress"), ("partially_fixed", "in_progress"), ("partial", "in_progress"),
        ("fixed", "fixed"), ("resolved", "fixed"), ("done", "fixed"), ("complete", "fixed"), ("completed", "fixed"),
        ("implemented", "fixed"), ("fix_applied", "fixed"), ("patched", "fixed"), ("mitigated", "fixed"),
        ("verified", "verified"), ("validated", "verified"), ("tested", "verified"), ("confirmed_fixed", "verified"),
        ("closed", "closed"), ("archived", "closed"),
        ("wont_fix", "wont_fix"), ("won_t_fix", "wont_fix"), ("wontfix", "wont_fix"), ("will_not_fix", "wont_fix"),
        ("rejected", "wont_fix"), ("invalid", "wont_fix"), ("duplicate", "wont_fix"), ("not_a_bug", "wont_fix"),
        ("cancelled", "wont_fix"), ("canceled", "wont_fix"), ("obsolete", "wont_fix"), ("not_an_issue", "wont_fix"));

    /// <summary>
    /// Legacy <c>update_type</c> (normal form) → <c>created | comment | status_change | fix_applied | verification |
    /// conversation_link | field_change | checklist</c>.
    /// </summary>
    public static readonly FrozenDictionary<string, string> UpdateKind = Build(
        ("created", "created"), ("create", "created"), ("opened", "created"), ("reported", "created"),
        ("comment", "comment"), ("note", "comment"), ("update", "comment"), ("progress", "comment"), ("info", "comment"),
        ("status_change", "status_change"), ("status", "status_change"), ("status_update", "status_change"), ("state_change", "status_change"),
        ("fix_applied", "fix_applied"), ("fix", "fix_applied"), ("fixed", "fix_applied"), ("resolution", "fix_applied"), ("resolved", "fix_applied"),
        ("verification", "verification"), ("verify", "verification"), ("verified", "verification"), ("test", "verification"), ("validation", "verification"),
        ("conversation_link", "conversation_link"), ("conversation", "conversation_link"), ("link", "conversation_link"),
        ("field_change", "field_change"), ("edit", "field_change"), ("change", "field_change"), ("field_update", "field_change"),
        ("checklist", "checklist"), ("checklist_update", "checklist"), ("step", "checklist"), ("step_completed", "checklist"));

    /// <summary>Legacy checklist status (normal form) → <c>pending | completed | skipped</c>.</summary>
    public static readonly FrozenDictionary<string, string> ChecklistState = Build(
        ("pending", "pending"), ("todo", "pending"), ("to_do", "pending"), ("open", "pending"), ("not_started", "pending"),
        ("in_progress", "pending"), ("blocked", "pending"), ("false", "pending"), ("no", "pending"),
        ("complete", "completed"), ("completed", "completed"), ("done", "completed"), ("finished", "completed"),
        ("checked", "completed"), ("true", "completed"), ("yes", "completed"), ("fixed", "completed"), ("verified", "completed"),
        ("skipped", "skipped"), ("skip", "skipped"), ("n_a", "skipped"), ("na", "skipped"), ("not_applicable", "skipped"),
        ("cancelled", "skipped"), ("canceled", "skipped"), ("wont_do", "skipped"), ("won_t_do", "skipped"));

    /// <summary>The normal form of a legacy value: see the remarks of <see cref="LegacyVocabulary"/>.</summary>
    /// <param name="value">The legacy value; may be <see langword="null"/>.</param>
    /// <returns>The normal form; empty for <see langword="null"/> or a value without letters and digits.</returns>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var result = new StringBuilder(value.Length);
        var pendingSeparator = false;
        foreach (var c in value.ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (pendingSeparator && result.Length > 0)
                {
                    result.Append('_');
                }

                pendingSeparator = false;
                result.Append(c);
            }
            else
            {
                pendingSeparator = true;
            }
        }

        return result.ToString();
    }

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

    private static FrozenDictionary<string, string> Build(params (string Legacy, string Value)[] pairs) =>
        pairs.ToDictionary(p => Normalize(p.Legacy), p => p.Value, StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal);
}

using System.Collections.Frozen;
using System.Text;

namespace Exai.Supabase.Issues;

/// <summary>
/// The tracker's one vocabulary and how every legacy value maps onto it. EX-AI's four issue tables each spoke their
/// own: <c>exai_issues</c> (<c>critical|high|medium|low</c>, <c>open|in_progress|fixed|verified|closed|wont_fix</c>),
/// <c>exai_issues_tracker</c> (<c>Critical</c>…, <c>P0</c>–<c>P3</c>, free text such as <c>Root Cause Identified</c>),
/// <c>issues</c> (<c>CRITICAL|HIGH|MEDIUM|LOW</c> priorities, <c>OPEN|IN_PROGRESS|RESOLVED|WONT_FIX</c>) and
/// <c>phase1_issues</c> (<c>CRITICAL|HIGH</c>). This class is self-contained so legacy adoption and tools that take
/// values as text (an MCP tool's arguments, say) share one mapping.
/// </summary>
/// <remarks>
/// <para>
/// A text is looked up by its <see cref="Normalize(string?)">normal form</see>: lower case, every run of characters
/// other than <c>a–z</c> and <c>0–9</c> turned into one <c>_</c>, leading and trailing <c>_</c> removed. So
/// <c>"Won't Fix"</c>, <c>"WONT-FIX"</c>, <c>"wont_fix"</c> and <c>"WontFix"</c> all read as
/// <see cref="IssueStatus.WontFix"/>, and <c>"Verified ✅"</c> as <see cref="IssueStatus.Verified"/>.
/// </para>
/// <para>The mapping (normal forms; the canonical value is always accepted, as is the enum member's name):</para>
/// <list type="table">
/// <listheader><term>Value</term><description>Legacy spellings</description></listheader>
/// <item><term>severity critical</term><description>crit, blocker, showstopper, severe, urgent, p0, sev0, sev1</description></item>
/// <item><term>severity high</term><description>major, important, p1, sev2</description></item>
/// <item><term>severity medium</term><description>med, moderate, normal, p2, sev3</description></item>
/// <item><term>severity low</term><description>minor, trivial, cosmetic, info, informational, p3, sev4</description></item>
/// <item><term>priority p0</term><description>0, immediate, urgent, critical, highest, blocker</description></item>
/// <item><term>priority p1</term><description>1, high, important</description></item>
/// <item><term>priority p2</term><description>2, medium, normal, moderate</description></item>
/// <item><term>priority p3</term><description>3, p4, 4, low, lowest, minor, trivial</description></item>
/// <item><term>status open</term><description>new, todo, to_do, reported, triage, needs_triage, backlog, reopened, pending, deferred, postponed, blocked, not_started, identified</description></item>
/// <item><term>status in_progress</term><description>inprogress, investigating, under_investigation, root_cause_identified, fix_in_progress, in_review, active, working, started, assigned, partially_fixed, partial</description></item>
/// <item><term>status fixed</term><description>resolved, done, complete, completed, implemented, fix_applied, patched, mitigated</description></item>
/// <item><term>status verified</term><description>validated, tested, confirmed_fixed</description></item>
/// <item><term>status closed</term><description>archived</description></item>
/// <item><term>status wont_fix</term><description>won_t_fix, wontfix, will_not_fix, rejected, invalid, duplicate, not_a_bug, cancelled, canceled, obsolete, not_an_issue</description></item>
/// </list>
/// <para>
/// <c>RESOLVED</c> maps to <see cref="IssueStatus.Fixed"/>, not <see cref="IssueStatus.Closed"/>: a legacy "resolved"
/// issue had its fix made but nobody recorded a verification. A legacy table with no priority takes the one its
/// severity implies (<see cref="PriorityFor(IssueSeverity)"/>). Anything else (<c>"Deferred to phase 2"</c>) is
/// unknown: <c>Parse…</c> throws <see cref="UnknownIssueValueException"/>, <c>TryParse…</c> returns
/// <see langword="false"/>, and a caller such as legacy adoption applies its own default and keeps the original text.
/// </para>
/// </remarks>
public static class IssueVocabulary
{
    private static readonly string[] SeverityValues = ["critical", "high", "medium", "low"];
    private static readonly string[] PriorityValues = ["p0", "p1", "p2", "p3"];
    private static readonly string[] StatusValues = ["open", "in_progress", "fixed", "verified", "closed", "wont_fix"];
    private static readonly string[] UpdateKindValues =
        ["created", "comment", "status_change", "fix_applied", "verification", "conversation_link", "field_change", "checklist"];

    private static readonly string[] ChecklistStateValues = ["pending", "completed", "skipped"];

    /// <summary>Severity by the normal form of each accepted spelling.</summary>
    public static IReadOnlyDictionary<string, IssueSeverity> SeveritySynonyms { get; } = Build<IssueSeverity>(
        SeverityValues,
        (IssueSeverity.Critical, ["crit", "blocker", "showstopper", "severe", "urgent", "p0", "sev0", "sev1"]),
        (IssueSeverity.High, ["major", "important", "p1", "sev2"]),
        (IssueSeverity.Medium, ["med", "moderate", "normal", "p2", "sev3"]),
        (IssueSeverity.Low, ["minor", "trivial", "cosmetic", "info", "informational", "p3", "sev4"]));

    /// <summary>Priority by the normal form of each accepted spelling.</summary>
    public static IReadOnlyDictionary<string, IssuePriority> PrioritySynonyms { get; } = Build<IssuePriority>(
        PriorityValues,
        (IssuePriority.P0, ["0", "immediate", "urgent", "critical", "highest", "blocker"]),
        (IssuePriority.P1, ["1", "high", "important"]),
        (IssuePriority.P2, ["2", "medium", "normal", "moderate"]),
        (IssuePriority.P3, ["3", "p4", "4", "low", "lowest", "minor", "trivial"]));

    /// <summary>Status by the normal form of each accepted spelling.</summary>
    public static IReadOnlyDictionary<string, IssueStatus> StatusSynonyms { get; } = Build<IssueStatus>(
        StatusValues,
        (IssueStatus.Open,
            ["new", "todo", "to_do", "reported", "triage", "needs_triage", "backlog", "reopened", "pending", "deferred", "postponed",
             "blocked", "not_started", "identified"]),
        (IssueStatus.InProgress,
            ["investigating", "under_investigation", "root_cause_identified", "fix_in_progress", "in_review", "active", "working",
             "started", "assigned", "partially_fixed", "partial"]),
        (IssueStatus.Fixed, ["resolved", "done", "complete", "completed", "implemented", "fix_applied", "patched", "mitigated"]),
        (IssueStatus.Verified, ["validated", "tested", "confirmed_fixed"]),
        (IssueStatus.Closed, ["archived"]),
        (IssueStatus.WontFix,
            ["won't fix", "will_not_fix", "rejected", "invalid", "duplicate", "not_a_bug", "cancelled", "canceled", "obsolete", "not_an_issue"]));

    /// <summary>Update kind by the normal form of each accepted spelling (legacy <c>update_type</c> values).</summary>
    public static IReadOnlyDictionary<string, IssueUpdateKind> UpdateKindSynonyms { get; } = Build<IssueUpdateKind>(
        UpdateKindValues,
        (IssueUpdateKind.Created, ["create", "opened", "reported"]),
        (IssueUpdateKind.Comment, ["note", "update", "progress", "info"]),
        (IssueUpdateKind.StatusChange, ["status", "status_update", "state_change"]),
        (IssueUpdateKind.FixApplied, ["fix", "fixed", "resolution", "resolved"]),
        (IssueUpdateKind.Verification, ["verify", "verified", "test", "validation"]),
        (IssueUpdateKind.ConversationLink, ["conversation", "link"]),
        (IssueUpdateKind.FieldChange, ["edit", "change", "field_update"]),
        (IssueUpdateKind.Checklist, ["checklist_update", "step", "step_completed"]));

    /// <summary>Checklist state by the normal form of each accepted spelling (legacy checklist <c>status</c> values).</summary>
    public static IReadOnlyDictionary<string, ChecklistItemState> ChecklistStateSynonyms { get; } = Build<ChecklistItemState>(
        ChecklistStateValues,
        (ChecklistItemState.Pending, ["todo", "to_do", "open", "not_started", "in_progress", "blocked", "false", "no"]),
        (ChecklistItemState.Completed, ["complete", "done", "finished", "checked", "true", "yes", "fixed", "verified"]),
        (ChecklistItemState.Skipped, ["skip", "n/a", "na", "not_applicable", "cancelled", "canceled", "wont_do", "won't do"]));

    /// <summary>The stored text of a severity.</summary>
    /// <param name="value">The severity.</param>
    /// <returns><c>critical</c>, <c>high</c>, <c>medium</c> or <c>low</c>.</returns>
    /// <exception cref="UnknownIssueValueException"><paramref name="value"/> is not a defined member.</exception>
    public static string ToText(IssueSeverity value) => Text(SeverityValues, (int)value, "severity", nameof(value));

    /// <summary>The stored text of a priority.</summary>
    /// <param name="value">The priority.</param>
    /// <returns><c>p0</c>, <c>p1</c>, <c>p2</c> or <c>p3</c>.</returns>
    /// <exception cref="UnknownIssueValueException"><paramref name="value"/> is not a defined member.</exception>
    public static string ToText(IssuePriority value) => Text(PriorityValues, (int)value, "priority", nameof(value));

    /// <summary>The stored text of a status.</summary>
    /// <param name="value">The status.</param>
    /// <returns><c>open</c>, <c>in_progress</c>, <c>fixed</c>, <c>verified</c>, <c>closed</c> or <c>wont_fix</c>.</returns>
    /// <exception cref="UnknownIssueValueException"><paramref name="value"/> is not a defined member.</exception>
    public static string ToText(IssueStatus value) => Text(StatusValues, (int)value, "status", nameof(value));

    /// <summary>The stored text of an update kind.</summary>
    /// <param name="value">The kind.</param>
    /// <returns>One of <c>created</c>, <c>comment</c>, <c>status_change</c>, <c>fix_applied</c>, <c>verification</c>, <c>conversation_link</c>, <c>field_change</c>, <c>checklist</c>.</returns>
    /// <exception cref="UnknownIssueValueException"><paramref name="value"/> is not a defined member.</exception>
    public static string ToText(IssueUpdateKind value) => Text(UpdateKindValues, (int)value, "update kind", nameof(value));

    /// <summary>The stored text of a checklist state.</summary>
    /// <param name="value">The state.</param>
    /// <returns><c>pending</c>, <c>completed</c> or <c>skipped</c>.</returns>
    /// <exception cref="UnknownIssueValueException"><paramref name="value"/> is not a defined member.</exception>
    public static string ToText(ChecklistItemState value) => Text(ChecklistStateValues, (int)value, "checklist state", nameof(value));

    /// <summary>Reads a severity in any accepted spelling (see the class remarks).</summary>
    /// <param name="value">The text, e.g. <c>CRITICAL</c>, <c>Major</c>, <c>P0</c>.</param>
    /// <returns>The severity.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownIssueValueException">No spelling maps <paramref name="value"/>.</exception>
    public static IssueSeverity ParseSeverity(string value) => Parse(SeveritySynonyms, value, "severity", SeverityValues);

    /// <summary>Reads a priority in any accepted spelling (see the class remarks).</summary>
    /// <param name="value">The text, e.g. <c>P0</c>, <c>HIGH</c>, <c>2</c>.</param>
    /// <returns>The priority.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownIssueValueException">No spelling maps <paramref name="value"/>.</exception>
    public static IssuePriority ParsePriority(string value) => Parse(PrioritySynonyms, value, "priority", PriorityValues);

    /// <summary>Reads a status in any accepted spelling (see the class remarks).</summary>
    /// <param name="value">The text, e.g. <c>IN_PROGRESS</c>, <c>Resolved</c>, <c>Root Cause Identified</c>.</param>
    /// <returns>The status.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownIssueValueException">No spelling maps <paramref name="value"/>.</exception>
    public static IssueStatus ParseStatus(string value) => Parse(StatusSynonyms, value, "status", StatusValues);

    /// <summary>Reads an update kind in any accepted spelling (see <see cref="UpdateKindSynonyms"/>).</summary>
    /// <param name="value">The text, e.g. <c>STATUS_CHANGE</c>, <c>note</c>.</param>
    /// <returns>The kind.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownIssueValueException">No spelling maps <paramref name="value"/>.</exception>
    public static IssueUpdateKind ParseUpdateKind(string value) => Parse(UpdateKindSynonyms, value, "update kind", UpdateKindValues);

    /// <summary>Reads a checklist state in any accepted spelling (see <see cref="ChecklistStateSynonyms"/>).</summary>
    /// <param name="value">The text, e.g. <c>Complete</c>, <c>SKIPPED</c>, <c>todo</c>.</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="UnknownIssueValueException">No spelling maps <paramref name="value"/>.</exception>
    public static ChecklistItemState ParseChecklistState(string value) =>
        Parse(ChecklistStateSynonyms, value, "checklist state", ChecklistStateValues);

    /// <summary>Reads a severity in any accepted spelling, without throwing.</summary>
    /// <param name="value">The text; may be <see langword="null"/>.</param>
    /// <param name="severity">The severity when known.</param>
    /// <returns>Whether a spelling maps <paramref name="value"/>.</returns>
    public static bool TryParseSeverity(string? value, out IssueSeverity severity) => SeveritySynonyms.TryGetValue(Normalize(value), out severity);

    /// <summary>Reads a priority in any accepted spelling, without throwing.</summary>
    /// <param name="value">The text; may be <see langword="null"/>.</param>
    /// <param name="priority">The priority when known.</param>
    /// <returns>Whether a spelling maps <paramref name="value"/>.</returns>
    public static bool TryParsePriority(string? value, out IssuePriority priority) => PrioritySynonyms.TryGetValue(Normalize(value), out priority);

    /// <summary>Reads a status in any accepted spelling, without throwing.</summary>
    /// <param name="value">The text; may be <see langword="null"/>.</param>
    /// <param name="status">The status when known.</param>
    /// <returns>Whether a spelling maps <paramref name="value"/>.</returns>
    public static bool TryParseStatus(string? value, out IssueStatus status) => StatusSynonyms.TryGetValue(Normalize(value), out status);

    /// <summary>Reads an update kind in any accepted spelling, without throwing.</summary>
    /// <param name="value">The text; may be <see langword="null"/>.</param>
    /// <param name="kind">The kind when known.</param>
    /// <returns>Whether a spelling maps <paramref name="value"/>.</returns>
    public static bool TryParseUpdateKind(string? value, out IssueUpdateKind kind) => UpdateKindSynonyms.TryGetValue(Normalize(value), out kind);

    /// <summary>Reads a checklist state in any accepted spelling, without throwing.</summary>
    /// <param name="value">The text; may be <see langword="null"/>.</param>
    /// <param name="state">The state when known.</param>
    /// <returns>Whether a spelling maps <paramref name="value"/>.</returns>
    public static bool TryParseChecklistState(string? value, out ChecklistItemState state) =>
        ChecklistStateSynonyms.TryGetValue(Normalize(value), out state);

    /// <summary>
    /// The priority a severity implies, for legacy rows that carry no priority of their own: critical → p0,
    /// high → p1, medium → p2, low → p3.
    /// </summary>
    /// <param name="severity">The severity.</param>
    /// <returns>The implied priority.</returns>
    /// <exception cref="UnknownIssueValueException"><paramref name="severity"/> is not a defined member.</exception>
    public static IssuePriority PriorityFor(IssueSeverity severity) => severity switch
    {
        IssueSeverity.Critical => IssuePriority.P0,
        IssueSeverity.High => IssuePriority.P1,
        IssueSeverity.Medium => IssuePriority.P2,
        IssueSeverity.Low => IssuePriority.P3,
        _ => throw new UnknownIssueValueException("severity", ((int)severity).ToString(System.Globalization.CultureInfo.InvariantCulture), SeverityValues, nameof(severity)),
    };

    /// <summary>
    /// The normal form a text is looked up by: lower case, each run of characters other than <c>a–z</c> and
    /// <c>0–9</c> made one <c>_</c>, no leading or trailing <c>_</c>. In SQL:
    /// <c>btrim(regexp_replace(lower(x), '[^a-z0-9]+', '_', 'g'), '_')</c>.
    /// </summary>
    /// <param name="value">The text; may be <see langword="null"/>.</param>
    /// <returns>The normal form; empty for <see langword="null"/> or a text without letters and digits.</returns>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var result = new StringBuilder(value.Length);
        var separator = false;
        foreach (var c in value)
        {
            var lower = c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
            if (lower is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                if (separator && result.Length > 0)
                {
                    result.Append('_');
                }

                separator = false;
                result.Append(lower);
            }
            else
            {
                separator = true;
            }
        }

        return result.ToString();
    }

    /// <summary>The stored text of a severity, naming <paramref name="paramName"/> when the value is not defined.</summary>
    internal static string ToText(IssueSeverity value, string paramName) => Text(SeverityValues, (int)value, "severity", paramName);

    /// <summary>The stored text of a priority, naming <paramref name="paramName"/> when the value is not defined.</summary>
    internal static string ToText(IssuePriority value, string paramName) => Text(PriorityValues, (int)value, "priority", paramName);

    /// <summary>The stored text of a status, naming <paramref name="paramName"/> when the value is not defined.</summary>
    internal static string ToText(IssueStatus value, string paramName) => Text(StatusValues, (int)value, "status", paramName);

    /// <summary>The stored text of a checklist state, naming <paramref name="paramName"/> when the value is not defined.</summary>
    internal static string ToText(ChecklistItemState value, string paramName) => Text(ChecklistStateValues, (int)value, "checklist state", paramName);

    /// <summary>Reads a value the database stored (always canonical; checked by constraints).</summary>
    internal static T FromStored<T>(IReadOnlyDictionary<string, T> synonyms, string stored) =>
        synonyms.TryGetValue(stored, out var value)
            ? value
            : throw new InvalidOperationException($"The database holds '{stored}', which is not in the issue vocabulary.");

    private static string Text(string[] values, int value, string field, string paramName) =>
        value >= 1 && value <= values.Length
            ? values[value - 1]
            : throw new UnknownIssueValueException(field, value.ToString(System.Globalization.CultureInfo.InvariantCulture), values, paramName);

    private static T Parse<T>(IReadOnlyDictionary<string, T> synonyms, string value, string field, string[] accepted)
    {
        ArgumentNullException.ThrowIfNull(value);
        return synonyms.TryGetValue(Normalize(value), out var parsed)
            ? parsed
            : throw new UnknownIssueValueException(field, value, accepted, nameof(value));
    }

    private static FrozenDictionary<string, T> Build<T>(string[] canonical, params (T Value, string[] Spellings)[] synonyms)
        where T : struct, Enum
    {
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        for (var i = 0; i < canonical.Length; i++)
        {
            var value = (T)Enum.ToObject(typeof(T), i + 1);
            map[Normalize(canonical[i])] = value;
            map[Normalize(value.ToString())] = value;
        }

        foreach (var (value, spellings) in synonyms)
        {
            foreach (var spelling in spellings)
            {
                // A spelling claimed twice would make the mapping depend on declaration order.
                if (!map.TryAdd(Normalize(spelling), value) && !EqualityComparer<T>.Default.Equals(map[Normalize(spelling)], value))
                {
                    throw new InvalidOperationException($"The spelling '{spelling}' maps to two {typeof(T).Name} values.");
                }
            }
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

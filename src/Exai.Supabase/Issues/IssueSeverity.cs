namespace Exai.Supabase.Issues;

/// <summary>
/// How much harm an issue does, stored in <c>issues.severity</c> as <c>critical</c>, <c>high</c>, <c>medium</c> or
/// <c>low</c>. Legacy spellings (<c>CRITICAL</c>, <c>Critical</c>, <c>Major</c>, <c>P0</c>, …) are read by
/// <see cref="IssueVocabulary.ParseSeverity(string)"/>.
/// </summary>
/// <remarks>The values start at 1 so an unset (zero) value is never mistaken for a real one.</remarks>
public enum IssueSeverity
{
    /// <summary><c>critical</c>: broken for everyone, data loss or a security hole. Legacy: critical, crit, blocker, showstopper, severe, urgent, p0, sev0, sev1.</summary>
    Critical = 1,

    /// <summary><c>high</c>: a main function is broken. Legacy: high, major, important, p1, sev2.</summary>
    High = 2,

    /// <summary><c>medium</c>: a secondary function is broken or degraded. Legacy: medium, med, moderate, normal, p2, sev3.</summary>
    Medium = 3,

    /// <summary><c>low</c>: cosmetic or minor. Legacy: low, minor, trivial, cosmetic, info, informational, p3, sev4.</summary>
    Low = 4,
}

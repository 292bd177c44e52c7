namespace Exai.Supabase.Issues;

/// <summary>
/// How soon an issue should be worked on, stored in <c>issues.priority</c> as <c>p0</c> … <c>p3</c>. Legacy spellings
/// (<c>P0</c>, <c>CRITICAL</c>, <c>High</c>, <c>0</c>, …) are read by <see cref="IssueVocabulary.ParsePriority(string)"/>.
/// </summary>
/// <remarks>The values start at 1 so an unset (zero) value is never mistaken for a real one.</remarks>
public enum IssuePriority
{
    /// <summary><c>p0</c>: now. Legacy: p0, 0, immediate, urgent, critical, highest, blocker.</summary>
    P0 = 1,

    /// <summary><c>p1</c>: next. Legacy: p1, 1, high, important.</summary>
    P1 = 2,

    /// <summary><c>p2</c>: planned. Legacy: p2, 2, medium, normal, moderate.</summary>
    P2 = 3,

    /// <summary><c>p3</c>: some day. Legacy: p3, 3, p4, 4, low, lowest, minor, trivial.</summary>
    P3 = 4,
}

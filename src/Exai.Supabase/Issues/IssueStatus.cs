namespace Exai.Supabase.Issues;

/// <summary>
/// Where an issue is in its flow, stored in <c>issues.status</c>. The moves allowed between them are listed by
/// <see cref="IssueStatusFlow"/>; legacy spellings (<c>OPEN</c>, <c>RESOLVED</c>, <c>Root Cause Identified</c>, …) are
/// read by <see cref="IssueVocabulary.ParseStatus(string)"/>.
/// </summary>
/// <remarks>The values start at 1 so an unset (zero) value is never mistaken for a real one.</remarks>
public enum IssueStatus
{
    /// <summary>
    /// <c>open</c>: reported, nobody working on it. Legacy: open, new, todo, reported, triage, needs triage, backlog,
    /// reopened, pending, deferred, postponed, blocked, not started, identified.
    /// </summary>
    Open = 1,

    /// <summary>
    /// <c>in_progress</c>: being investigated or fixed. Legacy: in progress, investigating, under investigation,
    /// root cause identified, fix in progress, in review, active, working, started, assigned, partially fixed, partial.
    /// </summary>
    InProgress = 2,

    /// <summary>
    /// <c>fixed</c>: a fix is in, not yet verified. Legacy: fixed, resolved, done, complete, completed, implemented,
    /// fix applied, patched, mitigated.
    /// </summary>
    Fixed = 3,

    /// <summary><c>verified</c>: the fix was checked and holds. Legacy: verified, validated, tested, confirmed fixed.</summary>
    Verified = 4,

    /// <summary><c>closed</c>: finished. Legacy: closed, archived.</summary>
    Closed = 5,

    /// <summary>
    /// <c>wont_fix</c>: finished without a fix. Legacy: won't fix, wontfix, will not fix, rejected, invalid, duplicate,
    /// not a bug, cancelled, obsolete, not an issue.
    /// </summary>
    WontFix = 6,
}

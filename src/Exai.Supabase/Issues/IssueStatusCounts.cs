namespace Exai.Supabase.Issues;

/// <summary>How many issues are in each status, for a dashboard.</summary>
public sealed record IssueStatusCounts
{
    /// <summary>Issues in <c>open</c>.</summary>
    public long Open { get; init; }

    /// <summary>Issues in <c>in_progress</c>.</summary>
    public long InProgress { get; init; }

    /// <summary>Issues in <c>fixed</c>.</summary>
    public long Fixed { get; init; }

    /// <summary>Issues in <c>verified</c>.</summary>
    public long Verified { get; init; }

    /// <summary>Issues in <c>closed</c>.</summary>
    public long Closed { get; init; }

    /// <summary>Issues in <c>wont_fix</c>.</summary>
    public long WontFix { get; init; }

    /// <summary>All issues counted.</summary>
    public long Total => Open + InProgress + Fixed + Verified + Closed + WontFix;

    /// <summary>The count of one status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The count.</returns>
    /// <exception cref="UnknownIssueValueException"><paramref name="status"/> is not a defined member.</exception>
    public long this[IssueStatus status] => status switch
    {
        IssueStatus.Open => Open,
        IssueStatus.InProgress => InProgress,
        IssueStatus.Fixed => Fixed,
        IssueStatus.Verified => Verified,
        IssueStatus.Closed => Closed,
        IssueStatus.WontFix => WontFix,
        _ => throw new UnknownIssueValueException("status", ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [.. Enum.GetValues<IssueStatus>().Select(IssueVocabulary.ToText)], nameof(status)),
    };
}

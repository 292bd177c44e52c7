namespace Exai.Supabase.Issues;

/// <summary>
/// Thrown when a status change is not one <see cref="IssueStatusFlow"/> allows from the issue's current status (read
/// under a row lock, so it is the status the change would have replaced). Nothing was changed.
/// </summary>
public sealed class InvalidIssueTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public InvalidIssueTransitionException()
        : this("The status change is not allowed.")
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    public InvalidIssueTransitionException(string message)
        : base(message)
    {
        Allowed = [];
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidIssueTransitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Allowed = [];
    }

    /// <summary>Creates the exception for a refused move.</summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="from">Its current status.</param>
    /// <param name="to">The status asked for.</param>
    public InvalidIssueTransitionException(Guid issueId, IssueStatus from, IssueStatus to)
        : base(BuildMessage(issueId, from, to))
    {
        IssueId = issueId;
        From = from;
        To = to;
        Allowed = IssueStatusFlow.AllowedFrom(from);
    }

    /// <summary>The issue.</summary>
    public Guid IssueId { get; }

    /// <summary>The issue's current status.</summary>
    public IssueStatus From { get; }

    /// <summary>The status asked for.</summary>
    public IssueStatus To { get; }

    /// <summary>The statuses the issue may move to from <see cref="From"/>.</summary>
    public IReadOnlyList<IssueStatus> Allowed { get; }

    private static string BuildMessage(Guid issueId, IssueStatus from, IssueStatus to) =>
        $"Issue {issueId} cannot move from '{IssueVocabulary.ToText(from)}' to '{IssueVocabulary.ToText(to)}'; " +
        $"from '{IssueVocabulary.ToText(from)}' it may move to: {string.Join(", ", IssueStatusFlow.AllowedFrom(from).Select(IssueVocabulary.ToText))}.";
}

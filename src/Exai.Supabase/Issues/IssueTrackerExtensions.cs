namespace Exai.Supabase.Issues;

/// <summary>Shorthands over <see cref="IIssueTracker"/>.</summary>
public static class IssueTrackerExtensions
{
    /// <summary>Marks a checklist item completed.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="itemId">The item.</param>
    /// <param name="author">Who.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The item after the change.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tracker"/> is <see langword="null"/>.</exception>
    /// <exception cref="IssueNotFoundException">No such item.</exception>
    public static Task<IssueChecklistItem> CompleteChecklistItemAsync(this IIssueTracker tracker, Guid itemId, string? author = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return tracker.SetChecklistItemStateAsync(itemId, ChecklistItemState.Completed, null, author, cancellationToken);
    }

    /// <summary>Marks a checklist item skipped.</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="itemId">The item.</param>
    /// <param name="reason">Why it is skipped.</param>
    /// <param name="author">Who.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The item after the change.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tracker"/> is <see langword="null"/>.</exception>
    /// <exception cref="IssueNotFoundException">No such item.</exception>
    public static Task<IssueChecklistItem> SkipChecklistItemAsync(this IIssueTracker tracker, Guid itemId, string? reason = null, string? author = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return tracker.SetChecklistItemStateAsync(itemId, ChecklistItemState.Skipped, reason, author, cancellationToken);
    }

    /// <summary>Reopens an issue (moves it back to <c>open</c> from <c>fixed</c>, <c>verified</c>, <c>closed</c>, <c>wont_fix</c> or <c>in_progress</c>).</summary>
    /// <param name="tracker">The tracker.</param>
    /// <param name="issueId">The issue.</param>
    /// <param name="reason">Why.</param>
    /// <param name="author">Who.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The <c>status_change</c> entry written.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tracker"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidIssueTransitionException">The issue is already open.</exception>
    /// <exception cref="IssueNotFoundException">No such issue.</exception>
    public static Task<IssueUpdate> ReopenAsync(this IIssueTracker tracker, Guid issueId, string? reason = null, string? author = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        return tracker.TransitionAsync(issueId, IssueStatus.Open, reason, author, cancellationToken);
    }
}

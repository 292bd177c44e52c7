namespace Exai.Supabase.Issues;

/// <summary>
/// The one issue tracker: issues with a closed vocabulary (<see cref="IssueVocabulary"/>), a status flow
/// (<see cref="IssueStatusFlow"/>), a history of updates, ordered checklists and index-backed queries.
/// </summary>
/// <remarks>
/// <para>
/// <b>Two kinds of writes.</b> What a tool records in passing — a new issue, a comment, a conversation link, a fix, a
/// verification result — goes through the outbox: the method validates its input, returns the new row's id at once
/// (a client-made UUIDv7) and never waits for the database. Entries for an issue still on its way wait for it.
/// Changes that must be checked against the issue as it is — a status move, field edits, checklist changes — run as
/// one short transaction that locks the issue's row, so they return typed errors, and two callers changing the same
/// issue at once are serialised: the second sees the first's result. If such a change names an issue this process
/// created whose write is still queued, it first waits for the outbox to save it.
/// </para>
/// <para>
/// <b>Scope.</b> Issues are shared rows (row-level security lets users read them, not write them), so the tracker
/// writes as the service whatever the current <see cref="Security.ExaiScope"/>; in a user scope the author defaults
/// to the user's id. Reads run in the current scope.
/// </para>
/// </remarks>
public interface IIssueTracker
{
    /// <summary>
    /// Records a new issue (status <c>open</c>) with its creation entry, its linked conversations and its checklist.
    /// Returns at once; <see cref="GetAsync"/> in this process sees the issue before it is saved.
    /// </summary>
    /// <param name="draft">The issue.</param>
    /// <returns>The new issue's id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="draft"/> or its title is <see langword="null"/>.</exception>
    /// <exception cref="UnknownIssueValueException">The severity or priority is not a defined member.</exception>
    /// <exception cref="ArgumentException">A text is empty where required, too long or not valid text, or the metadata is not storable JSON.</exception>
    Guid CreateIssue(IssueDraft draft);

    /// <summary>Records a comment on an issue. Returns at once.</summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="body">The comment (at most one million characters).</param>
    /// <param name="author">Who comments; in a user scope defaults to the user's id.</param>
    /// <returns>The id of the update entry.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    Guid AddComment(Guid issueId, string body, string? author = null);

    /// <summary>
    /// Links a conversation to an issue by its continuation id (which need not name an existing thread). Returns at once.
    /// </summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="continuationId">The conversation's continuation id (at most 256 characters).</param>
    /// <param name="note">Why it is linked.</param>
    /// <param name="author">Who links it; in a user scope defaults to the user's id.</param>
    /// <returns>The id of the update entry.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    Guid LinkConversation(Guid issueId, string continuationId, string? note = null, string? author = null);

    /// <summary>
    /// Records a fix applied: a <c>fix_applied</c> entry, and the issue's <see cref="Issue.Fix"/> becomes this text
    /// unless a later fix was recorded. Does not move the status (see <see cref="TransitionAsync"/>). Returns at once.
    /// </summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="fix">What was done.</param>
    /// <param name="author">Who did it; in a user scope defaults to the user's id.</param>
    /// <returns>The id of the update entry.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    Guid RecordFix(Guid issueId, string fix, string? author = null);

    /// <summary>Records the result of verifying a fix (a <c>verification</c> entry). Does not move the status. Returns at once.</summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="result">What the verification showed.</param>
    /// <param name="author">Who verified; in a user scope defaults to the user's id.</param>
    /// <returns>The id of the update entry.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    Guid RecordVerification(Guid issueId, string result, string? author = null);

    /// <summary>
    /// Moves an issue's status, checked against its current status under a row lock, and writes the
    /// <c>status_change</c> entry (from, to, note, author, time) in the same transaction.
    /// </summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="to">The status wanted.</param>
    /// <param name="note">Why.</param>
    /// <param name="author">Who moves it; in a user scope defaults to the user's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The <c>status_change</c> entry written.</returns>
    /// <exception cref="InvalidIssueTransitionException">The move is not allowed from the current status (it names the allowed ones).</exception>
    /// <exception cref="IssueNotFoundException">No such issue.</exception>
    /// <exception cref="UnknownIssueValueException"><paramref name="to"/> is not a defined member.</exception>
    /// <exception cref="ArgumentException">A text is too long or not valid text.</exception>
    Task<IssueUpdate> TransitionAsync(Guid issueId, IssueStatus to, string? note = null, string? author = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes fields of an issue in one transaction and writes a <c>field_change</c> entry listing each field with its
    /// value before and after. Changes that change nothing write nothing.
    /// </summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="changes">The changes.</param>
    /// <param name="author">Who changes it; in a user scope defaults to the user's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The issue after the change.</returns>
    /// <exception cref="IssueNotFoundException">No such issue.</exception>
    /// <exception cref="UnknownIssueValueException">A severity or priority is not a defined member.</exception>
    /// <exception cref="ArgumentException">A text is empty where required, too long or not valid text.</exception>
    Task<Issue> UpdateAsync(Guid issueId, IssueChanges changes, string? author = null, CancellationToken cancellationToken = default);

    /// <summary>Adds an item at the end of an issue's checklist (and a <c>checklist</c> entry).</summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="text">What to do (at most 1,024 characters).</param>
    /// <param name="author">Who adds it; in a user scope defaults to the user's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The new item.</returns>
    /// <exception cref="IssueNotFoundException">No such issue.</exception>
    /// <exception cref="ArgumentException">A text is empty, too long or not valid text.</exception>
    Task<IssueChecklistItem> AddChecklistItemAsync(Guid issueId, string text, string? author = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes, skips or reopens a checklist item, stamping the time and author (and a <c>checklist</c> entry). Setting
    /// the state it already has changes nothing.
    /// </summary>
    /// <param name="itemId">The item.</param>
    /// <param name="state">The new state.</param>
    /// <param name="note">Why (a reason to skip, say).</param>
    /// <param name="author">Who; in a user scope defaults to the user's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The item after the change.</returns>
    /// <exception cref="IssueNotFoundException">No such item.</exception>
    /// <exception cref="UnknownIssueValueException"><paramref name="state"/> is not a defined member.</exception>
    /// <exception cref="ArgumentException">A text is too long or not valid text.</exception>
    Task<IssueChecklistItem> SetChecklistItemStateAsync(Guid itemId, ChecklistItemState state, string? note = null, string? author = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts an issue's checklist in the given order, positions 1 … n, in one transaction (and a <c>checklist</c> entry).
    /// </summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="itemIds">Every item of the checklist, each once, in the new order.</param>
    /// <param name="author">Who; in a user scope defaults to the user's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The checklist in its new order.</returns>
    /// <exception cref="IssueNotFoundException">No such issue.</exception>
    /// <exception cref="ArgumentException"><paramref name="itemIds"/> is not exactly the checklist's items, each once.</exception>
    Task<IReadOnlyList<IssueChecklistItem>> ReorderChecklistAsync(Guid issueId, IReadOnlyList<Guid> itemIds, string? author = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a checklist item; the items after it move up, so positions stay 1 … n (and a <c>checklist</c> entry).</summary>
    /// <param name="itemId">The item.</param>
    /// <param name="author">Who; in a user scope defaults to the user's id.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The checklist after the removal.</returns>
    /// <exception cref="IssueNotFoundException">No such item.</exception>
    Task<IReadOnlyList<IssueChecklistItem>> RemoveChecklistItemAsync(Guid itemId, string? author = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads one issue: one indexed query, or this process's own view of an issue it created that is not saved yet
    /// (also while the database is unreachable).
    /// </summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The issue, or <see langword="null"/> when there is none.</returns>
    Task<Issue?> GetAsync(Guid issueId, CancellationToken cancellationToken = default);

    /// <summary>Reads an issue's history, oldest first (saved entries only).</summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The entries; empty for an unknown issue.</returns>
    Task<IReadOnlyList<IssueUpdate>> GetUpdatesAsync(Guid issueId, CancellationToken cancellationToken = default);

    /// <summary>Reads an issue's checklist in order (for an issue created here and not saved yet, its pending checklist).</summary>
    /// <param name="issueId">The issue.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The items by position; empty for an unknown issue.</returns>
    Task<IReadOnlyList<IssueChecklistItem>> GetChecklistAsync(Guid issueId, CancellationToken cancellationToken = default);

    /// <summary>Lists saved issues matching a filter, newest first, one keyset page at a time.</summary>
    /// <param name="filter">The conditions; <see langword="null"/> for all issues.</param>
    /// <param name="pageSize">Issues per page, 1 … <see cref="IssuePage.MaxSize"/>.</param>
    /// <param name="cursor">The previous page's <see cref="IssuePage.NextCursor"/>; <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="cursor"/> is not a cursor this tracker made, or a filter text is too long or not valid text.</exception>
    Task<IssuePage> ListAsync(IssueFilter? filter = null, int pageSize = IssuePage.DefaultSize, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary>Counts saved issues per status (one index scan per status), optionally within a filter.</summary>
    /// <param name="filter">The conditions; <see langword="null"/> for all issues.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="ArgumentException">A filter text is too long or not valid text.</exception>
    Task<IssueStatusCounts> CountByStatusAsync(IssueFilter? filter = null, CancellationToken cancellationToken = default);
}

namespace Exai.Supabase.Conversations;

/// <summary>
/// Conversation threads keyed by <c>continuation_id</c>, kept in PostgreSQL / Supabase so they continue across tool
/// calls, restarts and instances.
/// </summary>
/// <remarks>
/// <para>
/// Writes (<see cref="Append(string, ConversationTurn)"/>, <see cref="Delete"/>) validate their input, record it in
/// the outbox and return at once: no I/O on the caller's path. <c>IExaiOutbox.FlushAsync</c> is the durability point.
/// </para>
/// <para>
/// Reads run one indexed query in the current <see cref="Security.ExaiScope"/> and merge the turns this process has
/// recorded in the same scope and not landed yet, so a process always reads its own writes; other instances see them
/// once the outbox has written them. While the database is unreachable, reads serve this process's own view — the
/// newest turns of threads it read or wrote recently, plus its pending turns — and throw
/// <see cref="ConversationUnavailableException"/> only when it holds nothing of the thread.
/// </para>
/// <para>Expired threads are hidden from reads as soon as they expire (see <see cref="ConversationOptions"/>).</para>
/// </remarks>
public interface IConversationStore
{
    /// <summary>
    /// Returns the live thread of <paramref name="continuationId"/>, creating it when there is none; fills the
    /// thread's empty fields from <paramref name="details"/> and records the session as seen.
    /// </summary>
    /// <param name="continuationId">The continuation id (free text, 1–256 characters).</param>
    /// <param name="details">Session, owner, title, parent thread and metadata; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The thread.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="continuationId"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is empty, too long or not valid text.</exception>
    /// <exception cref="ArgumentException">A detail is not valid (too long, NUL character, empty session id, another user as owner).</exception>
    ValueTask<ConversationThread> GetOrCreateAsync(string continuationId, ConversationThreadDetails? details = null, CancellationToken cancellationToken = default);

    /// <summary>Appends one turn to the thread (made if missing), refreshing its sliding expiry. Never performs I/O.</summary>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="turn">The turn.</param>
    /// <returns>The new turn's id.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is empty, too long or not valid text.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The role is unknown, a text is too long or a token count is negative.</exception>
    /// <exception cref="ArgumentException">A text holds a NUL character or a lone surrogate, or metadata is not valid.</exception>
    Guid Append(string continuationId, ConversationTurn turn);

    /// <summary>Appends turns in order; all are validated before any is recorded. Never performs I/O.</summary>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="turns">The turns, oldest first.</param>
    /// <returns>The new turns' ids, in order.</returns>
    /// <exception cref="ArgumentNullException">An argument (or a turn) is <see langword="null"/>.</exception>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is empty, too long or not valid text.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A role is unknown, a text is too long or a token count is negative.</exception>
    /// <exception cref="ArgumentException">A text holds a NUL character or a lone surrogate, or metadata is not valid.</exception>
    IReadOnlyList<Guid> AppendRange(string continuationId, IEnumerable<ConversationTurn> turns);

    /// <summary>The whole history, oldest first.</summary>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The turns; empty when the thread does not exist (or has expired).</returns>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is not valid.</exception>
    /// <exception cref="ConversationUnavailableException">The database is unreachable and this process holds nothing of the thread.</exception>
    Task<IReadOnlyList<ConversationMessage>> GetHistoryAsync(string continuationId, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="count"/> turns, oldest first.</summary>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="count">How many (1 to <see cref="ConversationLimits.MaxMessagesPerRead"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The turns.</returns>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is not valid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    /// <exception cref="ConversationUnavailableException">The database is unreachable and this process holds nothing of the thread.</exception>
    Task<IReadOnlyList<ConversationMessage>> GetLastAsync(string continuationId, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of turns older than <paramref name="olderThan"/> (a cursor from a previous page; <see langword="null"/>
    /// for the newest page). Keyset paging: turns appended meanwhile never shift pages, so there are no gaps or repeats.
    /// </summary>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="pageSize">Turns per page (1 to <see cref="ConversationLimits.MaxMessagesPerRead"/>).</param>
    /// <param name="olderThan">The <see cref="ConversationPage.OlderCursor"/> of the previous page, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page, oldest first.</returns>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is not valid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="olderThan"/> is not a cursor of this store.</exception>
    /// <exception cref="ConversationUnavailableException">The database is unreachable and this process holds nothing of the thread.</exception>
    Task<ConversationPage> GetPageAsync(string continuationId, int pageSize, string? olderThan = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest turns whose <see cref="ConversationMessage.EffectiveTokens"/> add up to at most
    /// <paramref name="maxTokens"/>, oldest first. It stops at the first turn that does not fit: the result is always
    /// the unbroken end of the thread.
    /// </summary>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="maxTokens">The budget (positive).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The turns, oldest first.</returns>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is not valid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is not positive.</exception>
    /// <exception cref="ConversationUnavailableException">The database is unreachable and this process holds nothing of the thread.</exception>
    Task<IReadOnlyList<ConversationMessage>> GetWithinTokenBudgetAsync(string continuationId, int maxTokens, CancellationToken cancellationToken = default);

    /// <summary>The live threads of a client session, most recently active first.</summary>
    /// <param name="sessionId">The session's id.</param>
    /// <param name="limit">The most threads returned (1 to <see cref="ConversationLimits.MaxThreadsPerList"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The threads.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is out of range.</exception>
    /// <exception cref="ConversationUnavailableException">The database is unreachable (this process's own new threads are listed only with it).</exception>
    Task<IReadOnlyList<ConversationThread>> GetSessionThreadsAsync(Guid sessionId, int limit = 50, CancellationToken cancellationToken = default);

    /// <summary>The live threads a user owns, most recently active first (row-level security applies in a user scope).</summary>
    /// <param name="userId">The owner.</param>
    /// <param name="limit">The most threads returned (1 to <see cref="ConversationLimits.MaxThreadsPerList"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The threads.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is out of range.</exception>
    /// <exception cref="ConversationUnavailableException">The database is unreachable.</exception>
    Task<IReadOnlyList<ConversationThread>> GetUserThreadsAsync(Guid userId, int limit = 50, CancellationToken cancellationToken = default);

    /// <summary>The files the thread refers to, in the order they were linked.</summary>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The links, including those of this process's turns not landed yet.</returns>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is not valid.</exception>
    /// <exception cref="ConversationUnavailableException">The database is unreachable and this process holds nothing of the thread.</exception>
    Task<IReadOnlyList<ConversationFile>> GetFilesAsync(string continuationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The turns appended to the thread from the moment enumeration starts (by the clock of the instance that records
    /// them), by this process or any other instance, each once, as its transaction commits; a turn recorded after the
    /// start that has already landed when the watch first reads the thread comes at once. Read through the change
    /// feed (one shared replication slot per process), so the role of <c>ConnectionStrings:ExaiDirect</c> needs
    /// <c>REPLICATION</c>. A gap in the feed (the slot's
    /// creation, a reconnect, a watcher that fell behind) is bridged by reading the thread back from its newest turn
    /// to the last one seen (up to 4,096 turns); turns recovered so come oldest first, after those already yielded.
    /// Reads run in the scope of the call (a user sees only turns of their own threads), wherever it is enumerated.
    /// </summary>
    /// <param name="continuationId">The continuation id (the thread need not exist yet).</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The new turns.</returns>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is not valid.</exception>
    /// <exception cref="Realtime.ChangeFeedPermissionException">The role may not replicate.</exception>
    IAsyncEnumerable<ConversationMessage> WatchAsync(string continuationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the thread with its turns and file links (they cascade). Recorded like a write: this process stops
    /// seeing the thread at once, the database row goes when the outbox lands it. Turns appended after the call start
    /// the thread afresh. Never performs I/O.
    /// </summary>
    /// <param name="continuationId">The continuation id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="continuationId"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidContinuationIdException"><paramref name="continuationId"/> is not valid.</exception>
    void Delete(string continuationId);
}

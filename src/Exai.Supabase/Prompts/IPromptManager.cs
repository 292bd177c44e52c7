namespace Exai.Supabase.Prompts;

/// <summary>
/// Manages stored prompts: immutable versions, one active version per tool and provider (kept by the database),
/// activation and rollback in one transaction with history, imports from code or files, per-version statistics.
/// </summary>
/// <remarks>
/// These are administrative operations that need an answer (the deduplicated version, the one-active guarantee), so
/// they run as one transaction each rather than through the outbox; they are never on a tool call's path. They need
/// the service scope: <c>system_prompts</c> is read-only for users. Every change reaches the caches of all instances
/// through the database's change notification; this instance's own cache is refreshed before the call returns.
/// </remarks>
public interface IPromptManager
{
    /// <summary>
    /// Stores a new version, not active. When a version of the same tool and provider already has exactly this content,
    /// that version is returned instead of a duplicate (whatever its label).
    /// </summary>
    /// <param name="prompt">The version to store.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The version and whether it was created.</returns>
    /// <exception cref="ArgumentNullException">A required value is <see langword="null"/> (the parameter is named like <c>prompt.Tool</c>).</exception>
    /// <exception cref="ArgumentOutOfRangeException">The tier is not 0–3, or a text is over its limit.</exception>
    /// <exception cref="ArgumentException">A text is empty or holds a NUL character or a lone surrogate; the metadata cannot be stored.</exception>
    /// <exception cref="PromptVersionConflictException">The label is taken by different content.</exception>
    /// <exception cref="UnauthorizedAccessException">The current scope is a user's; prompts are written by the service side.</exception>
    Task<PromptStoreResult> StoreVersionAsync(NewPromptVersion prompt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes <paramref name="version"/> the active version of <paramref name="tool"/> and <paramref name="provider"/>
    /// in one transaction (switch the current one off, the target on, write the history entry). Safe under
    /// concurrent callers: the database keeps exactly one active version.
    /// </summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="version">The label of the version to activate.</param>
    /// <param name="changedBy">Who makes the change (recorded in the history).</param>
    /// <param name="reason">Why (recorded in the history).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What changed; <see cref="PromptActivation.Changed"/> is false when it was already active.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    /// <exception cref="PromptNotFoundException">No such version.</exception>
    /// <exception cref="UnauthorizedAccessException">The current scope is a user's.</exception>
    Task<PromptActivation> ActivateAsync(string tool, string provider, string version, string? changedBy = null, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the version that was active before the current one active again, in one transaction. Repeated rollbacks
    /// walk further back; after a deactivation, a rollback restores the version switched off.
    /// </summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="changedBy">Who makes the change.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What changed.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    /// <exception cref="PromptNotFoundException">There is no earlier version to return to.</exception>
    /// <exception cref="UnauthorizedAccessException">The current scope is a user's.</exception>
    Task<PromptActivation> RollbackAsync(string tool, string provider, string? changedBy = null, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Switches the active version off, so lookups fall back to the base provider or the code fallbacks.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="changedBy">Who makes the change.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>What changed; <see cref="PromptActivation.Changed"/> is false when nothing was active.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    /// <exception cref="UnauthorizedAccessException">The current scope is a user's.</exception>
    Task<PromptActivation> DeactivateAsync(string tool, string provider, string? changedBy = null, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Every stored version of a tool and provider, oldest first.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The versions.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    Task<IReadOnlyList<PromptVersion>> GetVersionsAsync(string tool, string provider, CancellationToken cancellationToken = default);

    /// <summary>The history of a tool and provider, newest first.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="limit">The most entries returned, 1 to 10,000.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is out of range.</exception>
    Task<IReadOnlyList<PromptHistoryEntry>> GetHistoryAsync(string tool, string provider, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports prompts a project already has (constants in code, say) in one transaction: each is stored unless a
    /// version with identical content exists. Running it again changes nothing. Every prompt is checked before
    /// anything is written; a (tool, provider) may appear once.
    /// </summary>
    /// <param name="prompts">The prompts.</param>
    /// <param name="activation">Which imported versions become active.</param>
    /// <param name="changedBy">Who imports (recorded in the history).</param>
    /// <param name="cancellationToken">Cancels the import (nothing is written).</param>
    /// <returns>What was created, found unchanged and activated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompts"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An item is invalid (the message names it) or a (tool, provider) appears twice.</exception>
    /// <exception cref="PromptVersionConflictException">An item's label is taken by different content.</exception>
    /// <exception cref="UnauthorizedAccessException">The current scope is a user's.</exception>
    Task<ImportReport> ImportAsync(IEnumerable<NewPromptVersion> prompts, PromptImportActivation activation = PromptImportActivation.IfNoneActive, string? changedBy = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports the prompt files of a folder: one file per tool and provider, named <c>tool.provider.md</c> (or
    /// <c>.txt</c>, <c>.prompt</c>; <c>tool.md</c> is the base provider), optionally starting with a header between
    /// <c>---</c> lines of <c>key: value</c> pairs (<c>tier</c>, <c>version</c>, <c>author</c>, <c>description</c>,
    /// <c>tool</c>, <c>provider</c>). The text after the header is the prompt, byte for byte.
    /// </summary>
    /// <param name="directory">The folder (not searched recursively).</param>
    /// <param name="activation">Which imported versions become active.</param>
    /// <param name="changedBy">Who imports (recorded in the history).</param>
    /// <param name="cancellationToken">Cancels the import (nothing is written).</param>
    /// <returns>What was created, found unchanged and activated; each entry names its file.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FormatException">A file's header is malformed or its values are invalid (the message names the file and line).</exception>
    /// <exception cref="PromptVersionConflictException">A file's label is taken by different content.</exception>
    /// <exception cref="UnauthorizedAccessException">The current scope is a user's.</exception>
    Task<ImportReport> ImportDirectoryAsync(string directory, PromptImportActivation activation = PromptImportActivation.IfNoneActive, string? changedBy = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The statistics of one version from its recorded executions (one query on the
    /// <c>prompt_performance(prompt_id, executed_at)</c> index).
    /// </summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="version">The version label.</param>
    /// <param name="since">Count only executions from this time on; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    /// <exception cref="PromptNotFoundException">No such version.</exception>
    Task<PromptStatistics> GetStatisticsAsync(string tool, string provider, string version, DateTimeOffset? since = null, CancellationToken cancellationToken = default);

    /// <summary>Two versions' statistics side by side, from one query.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="baselineVersion">The version compared against.</param>
    /// <param name="candidateVersion">The version judged.</param>
    /// <param name="since">Count only executions from this time on; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The comparison.</returns>
    /// <exception cref="ArgumentException">An argument is empty, too long or not valid text.</exception>
    /// <exception cref="PromptNotFoundException">A version does not exist.</exception>
    Task<PromptComparison> CompareAsync(string tool, string provider, string baselineVersion, string candidateVersion, DateTimeOffset? since = null, CancellationToken cancellationToken = default);
}

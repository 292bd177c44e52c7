using System.Text.Json.Nodes;

namespace Exai.Supabase.Prompts;

/// <summary>
/// What a tool needs at run time: the prompt to use, in nanoseconds from an in-process snapshot, and a way to record
/// how the execution went (through the outbox; the caller never waits on the database).
/// </summary>
public interface IPromptResolver
{
    /// <summary>
    /// The prompt <paramref name="tool"/> should use with <paramref name="provider"/>: the active version of (tool,
    /// provider), else of (tool, <see cref="PromptProviders.Base"/>), else a fallback registered in code. A cached
    /// answer completes synchronously without allocating; a first lookup waits for the cache's first load at most
    /// <see cref="PromptOptions.LoadTimeout"/>. While the database is down, the last values seen and the code
    /// fallbacks keep answering.
    /// </summary>
    /// <param name="tool">The tool (<c>debug</c>, <c>codereview</c>, …).</param>
    /// <param name="provider">The provider (<c>kimi</c>, <c>glm</c>, …).</param>
    /// <param name="cancellationToken">Ends a wait for the first load.</param>
    /// <returns>The prompt and where it came from.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tool"/> or <paramref name="provider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="tool"/> or <paramref name="provider"/> is empty, too long or not valid text.</exception>
    /// <exception cref="PromptNotFoundException">No link of the chain has a prompt; the exception lists what was tried.</exception>
    ValueTask<ResolvedPrompt> ResolveAsync(string tool, string provider, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records one execution of <paramref name="prompt"/> for its version's statistics. Returns at once; the row is
    /// written by the outbox (<see cref="Outbox.IExaiOutbox.FlushAsync"/> is the durability point).
    /// </summary>
    /// <param name="prompt">The prompt that was used, as <see cref="ResolveAsync"/> returned it.</param>
    /// <param name="duration">How long the execution took.</param>
    /// <param name="success">Whether it succeeded.</param>
    /// <param name="tokenCount">Tokens used, when known.</param>
    /// <param name="errorMessage">
    /// What went wrong, for a failure. Kept to its first 1,024 characters, with characters PostgreSQL cannot store
    /// replaced: recording a failure never fails because of the upstream error's text.
    /// </param>
    /// <param name="metadata">Free-form data kept with the execution.</param>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> or <paramref name="tokenCount"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="metadata"/> cannot be stored, or a hand-made <paramref name="prompt"/> has an invalid tool, provider or version.</exception>
    void RecordExecution(ResolvedPrompt prompt, TimeSpan duration, bool success, int? tokenCount = null, string? errorMessage = null, JsonObject? metadata = null);
}

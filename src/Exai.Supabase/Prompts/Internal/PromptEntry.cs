namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// The cached answer to one (tool, provider) lookup: the resolved prompt, or — when nothing in the chain answers —
/// the list of what was tried, to throw a fresh <see cref="PromptNotFoundException"/> from.
/// </summary>
internal sealed class PromptEntry
{
    private PromptEntry(ResolvedPrompt? prompt, string[] tried)
    {
        Prompt = prompt;
        Tried = tried;
    }

    public ResolvedPrompt? Prompt { get; }

    public string[] Tried { get; }

    public static PromptEntry Found(ResolvedPrompt prompt) => new(prompt, []);

    public static PromptEntry NotFound(string[] tried) => new(null, tried);

    /// <summary>Whether <paramref name="other"/> gives the same answer (so this instance can stay in a new snapshot).</summary>
    public bool SameAnswer(PromptEntry other)
    {
        if (Prompt is null || other.Prompt is null)
        {
            return Prompt is null && other.Prompt is null && Tried.AsSpan().SequenceEqual(other.Tried);
        }

        var a = Prompt;
        var b = other.Prompt;
        return a.PromptId == b.PromptId
            && a.Origin == b.Origin
            && a.Tier == b.Tier
            && string.Equals(a.Version, b.Version, StringComparison.Ordinal)
            && string.Equals(a.SourceProvider, b.SourceProvider, StringComparison.Ordinal)
            && (ReferenceEquals(a.Content, b.Content) || string.Equals(a.Content, b.Content, StringComparison.Ordinal));
    }

    public ResolvedPrompt GetOrThrow(PromptKey key, Exception? cause = null) =>
        Prompt ?? throw new PromptNotFoundException(key.Tool, key.Provider, version: null, Tried, cause);
}

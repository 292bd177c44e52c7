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

    public ResolvedPrompt GetOrThrow(PromptKey key, Exception? cause = null) =>
        Prompt ?? throw new PromptNotFoundException(key.Tool, key.Provider, version: null, Tried, cause);
}

namespace Exai.Supabase.Prompts.Internal;

/// <summary>An active <c>system_prompts</c> row as the cache mirrors it.</summary>
internal sealed record ActivePrompt(
    Guid Id,
    string Tool,
    string Provider,
    int Tier,
    string Version,
    string ContentHash,
    string Content)
{
    public PromptKey Key => new(Tool, Provider);

    public override string ToString() => $"{Tool}/{Provider} {Version}";
}

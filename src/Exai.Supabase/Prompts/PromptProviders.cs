namespace Exai.Supabase.Prompts;

/// <summary>Provider names with a meaning of their own to the prompt store.</summary>
public static class PromptProviders
{
    /// <summary>
    /// The provider whose active version answers for every provider of a tool that has no active version of its own:
    /// a lookup of (tool, provider) falls back to (tool, <c>base</c>).
    /// </summary>
    public const string Base = "base";
}

namespace Exai.Supabase.Prompts;

/// <summary>The kinds of entries in a prompt's history (<c>prompt_versions.action</c>).</summary>
public enum PromptChange
{
    /// <summary>A version was stored.</summary>
    Created,

    /// <summary>A version was made active (replacing the one before, if any).</summary>
    Activated,

    /// <summary>The version active before the current one was made active again.</summary>
    RolledBack,

    /// <summary>The active version was switched off; lookups fall back down the chain.</summary>
    Deactivated,
}

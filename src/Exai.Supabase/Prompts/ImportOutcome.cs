namespace Exai.Supabase.Prompts;

/// <summary>What an import did with one prompt.</summary>
public enum ImportOutcome
{
    /// <summary>A new version was stored.</summary>
    Created,

    /// <summary>A version with identical content already existed; nothing was stored.</summary>
    Unchanged,
}

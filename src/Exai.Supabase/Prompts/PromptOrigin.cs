namespace Exai.Supabase.Prompts;

/// <summary>Which link of the fallback chain answered a lookup.</summary>
public enum PromptOrigin
{
    /// <summary>The active version stored for the requested tool and provider.</summary>
    Active,

    /// <summary>The active version stored for the tool and provider <see cref="PromptProviders.Base"/>.</summary>
    BaseProvider,

    /// <summary>A fallback registered in code (<see cref="PromptOptions.Fallbacks"/>); the database had no active version to offer.</summary>
    CodeFallback,
}

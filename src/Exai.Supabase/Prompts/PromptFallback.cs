namespace Exai.Supabase.Prompts;

/// <summary>
/// A prompt registered in code, used when the database has no active version for the tool (neither for the provider
/// asked for nor for <see cref="PromptProviders.Base"/>) or cannot be reached before anything was cached.
/// </summary>
public sealed class PromptFallback
{
    /// <summary>The tool.</summary>
    public string Tool { get; set; } = string.Empty;

    /// <summary>The provider; <see langword="null"/> (or <see cref="PromptProviders.Base"/>) for every provider of the tool.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Provider { get; set; }

    /// <summary>The prompt text.</summary>
    public string Content { get; set; } = string.Empty;

    /// <summary>The tier, 0 to 3.</summary>
    /// <value>The default value is 0.</value>
    public int Tier { get; set; }

    /// <summary>The version label reported for it.</summary>
    /// <value>The default value is <c>fallback</c> (<see cref="PromptDefaults.FallbackVersion"/>).</value>
    public string Version { get; set; } = PromptDefaults.FallbackVersion;

    /// <summary>Describes the fallback without its content.</summary>
    /// <returns>For example <c>debug/base fallback</c>.</returns>
    public override string ToString() => $"{Tool}/{Provider ?? PromptProviders.Base} {Version}";
}

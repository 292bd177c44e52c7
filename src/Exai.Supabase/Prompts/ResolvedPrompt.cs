namespace Exai.Supabase.Prompts;

/// <summary>
/// The prompt a tool should use, as <see cref="IPromptResolver.ResolveAsync"/> found it: the content, which version
/// it is and where it came from. Pass it back to <see cref="IPromptResolver.RecordExecution"/> so the execution is
/// counted for that version.
/// </summary>
/// <remarks>
/// Instances are cached and shared: a warm lookup returns the same instance to every caller. <see cref="ToString"/>
/// never includes the content.
/// </remarks>
public sealed record ResolvedPrompt
{
    /// <summary>The tool asked for.</summary>
    public required string Tool { get; init; }

    /// <summary>The provider asked for.</summary>
    public required string Provider { get; init; }

    /// <summary>The provider whose prompt answered: <see cref="Provider"/>, or <see cref="PromptProviders.Base"/> after a fallback.</summary>
    public required string SourceProvider { get; init; }

    /// <summary>The system prompt text.</summary>
    public required string Content { get; init; }

    /// <summary>The version label (for a code fallback, the label it was registered with).</summary>
    public required string Version { get; init; }

    /// <summary>The tier (0–3) of the prompt.</summary>
    public int Tier { get; init; }

    /// <summary>The id of the stored version (its <c>system_prompts</c> row); <see langword="null"/> for a code fallback.</summary>
    public Guid? PromptId { get; init; }

    /// <summary>Which link of the fallback chain answered.</summary>
    public PromptOrigin Origin { get; init; }

    /// <summary>Describes the prompt without its content (prompt bodies stay out of logs).</summary>
    /// <returns>For example <c>debug/kimi → debug/base v3 (BaseProvider)</c>.</returns>
    public override string ToString() =>
        string.Equals(Provider, SourceProvider, StringComparison.Ordinal)
            ? $"{Tool}/{Provider} {Version} ({Origin})"
            : $"{Tool}/{Provider} → {Tool}/{SourceProvider} {Version} ({Origin})";
}

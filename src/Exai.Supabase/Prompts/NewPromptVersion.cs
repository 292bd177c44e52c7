using System.Text.Json.Nodes;

namespace Exai.Supabase.Prompts;

/// <summary>A prompt version to store (<see cref="IPromptManager.StoreVersionAsync"/>) or import (<see cref="IPromptManager.ImportAsync"/>).</summary>
public sealed class NewPromptVersion
{
    /// <summary>The tool the prompt is for (<c>debug</c>, <c>analyze</c>, <c>codereview</c>, <c>chat</c>, …). At most 256 characters.</summary>
    public required string Tool { get; init; }

    /// <summary>The provider it is written for (<c>kimi</c>, <c>glm</c>, …) or <see cref="PromptProviders.Base"/> for every provider. At most 256 characters.</summary>
    public required string Provider { get; init; }

    /// <summary>The prompt text: not empty, at most 1,000,000 characters, no NUL character.</summary>
    public required string Content { get; init; }

    /// <summary>
    /// The version label, unique per tool and provider (<c>v3</c>, <c>2025-10-21</c>, …); <see langword="null"/> for
    /// the next free <c>v</c><i>n</i>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Version { get; init; }

    /// <summary>The tier, 0 to 3.</summary>
    /// <value>The default value is 0.</value>
    public int Tier { get; init; }

    /// <summary>Free-form data kept with the version.</summary>
    /// <value>The default value is <see langword="null"/> (stored as an empty object).</value>
    public JsonObject? Metadata { get; init; }

    /// <summary>Who wrote this version. At most 256 characters.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Author { get; init; }

    /// <summary>What changed and why. At most 1,024 characters.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ChangeDescription { get; init; }

    /// <summary>Describes the version without its content.</summary>
    /// <returns>For example <c>debug/kimi v3</c>.</returns>
    public override string ToString() => $"{Tool}/{Provider} {Version ?? "(next)"}";
}

using System.Text.Json.Nodes;

namespace Exai.Supabase.Prompts;

/// <summary>A stored, immutable version of a tool's prompt for one provider.</summary>
public sealed record PromptVersion
{
    /// <summary>The version's id (its <c>system_prompts</c> row).</summary>
    public required Guid Id { get; init; }

    /// <summary>The tool.</summary>
    public required string Tool { get; init; }

    /// <summary>The provider.</summary>
    public required string Provider { get; init; }

    /// <summary>The version label, unique per tool and provider.</summary>
    public required string Version { get; init; }

    /// <summary>The tier, 0 to 3.</summary>
    public int Tier { get; init; }

    /// <summary>The prompt text.</summary>
    public required string Content { get; init; }

    /// <summary>The hex MD5 of <see cref="Content"/> as the database computed it (an identity, not a security check).</summary>
    public required string ContentHash { get; init; }

    /// <summary>Whether this is the active version of its tool and provider (when it was read).</summary>
    public bool IsActive { get; init; }

    /// <summary>Free-form data kept with the version.</summary>
    public JsonObject? Metadata { get; init; }

    /// <summary>Who wrote it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>What changed and why.</summary>
    public string? ChangeDescription { get; init; }

    /// <summary>When it was stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it was last made active; <see langword="null"/> if never.</summary>
    public DateTimeOffset? ActivatedAt { get; init; }

    /// <summary>Describes the version without its content.</summary>
    /// <returns>For example <c>debug/kimi v3 (active)</c>.</returns>
    public override string ToString() => $"{Tool}/{Provider} {Version}{(IsActive ? " (active)" : string.Empty)}";
}

namespace Exai.Supabase.Prompts;

/// <summary>What <see cref="IPromptManager.StoreVersionAsync"/> did.</summary>
/// <param name="Version">The stored version, or the existing version with identical content.</param>
/// <param name="Created">
/// <see langword="true"/> when a new version was stored; <see langword="false"/> when a version of the same tool and
/// provider already had this exact content and was returned instead of a duplicate.
/// </param>
public sealed record PromptStoreResult(PromptVersion Version, bool Created);

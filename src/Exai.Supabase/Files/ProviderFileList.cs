namespace Exai.Supabase.Files;

/// <summary>One page of a provider's file listing.</summary>
/// <param name="Data">The files of the page.</param>
/// <param name="HasMore">Whether another page follows (ask for it with the last id as <c>after</c>).</param>
public sealed record ProviderFileList(IReadOnlyList<ProviderFile> Data, bool HasMore);

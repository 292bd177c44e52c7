namespace Exai.Supabase.Files;

/// <summary>A file as a provider's OpenAI-style files API describes it.</summary>
/// <param name="Id">The provider's id (<c>d3ovitn37oq66hmhr4jg</c> at Moonshot, <c>1761284083_…</c> at ZhipuAI).</param>
/// <param name="Bytes">Its size in bytes.</param>
/// <param name="CreatedAt">When the provider created it.</param>
/// <param name="Filename">Its file name.</param>
/// <param name="Purpose">Its purpose.</param>
/// <param name="Status">The provider's processing status (<c>ok</c>, <c>error</c>, …) when it reports one.</param>
/// <param name="StatusDetails">The provider's details of that status.</param>
public sealed record ProviderFile(
    string Id,
    long? Bytes,
    DateTimeOffset? CreatedAt,
    string? Filename,
    string? Purpose,
    string? Status,
    string? StatusDetails);

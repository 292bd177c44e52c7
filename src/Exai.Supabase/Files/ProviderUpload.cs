namespace Exai.Supabase.Files;

/// <summary>One file's record of its copy at a provider (a row of <c>provider_file_uploads</c>).</summary>
/// <remarks>
/// Files with the same content share one provider file: each has its own record with the same
/// <see cref="ProviderFileId"/>. How many records refer to a provider file is counted, never stored
/// (<see cref="IFileSync.CountUploadReferencesAsync"/>).
/// </remarks>
/// <param name="Id">The record's id, derived from the file, the provider and the provider's file id.</param>
/// <param name="FileId">The file; <see langword="null"/> once the file row is gone.</param>
/// <param name="Provider">The provider's configured name (<c>kimi</c>, <c>glm</c>, …).</param>
/// <param name="ProviderFileId">The provider's id of the file.</param>
/// <param name="Status">Its state.</param>
/// <param name="Purpose">The purpose it was uploaded for (<c>file-extract</c>, <c>batch</c>, …).</param>
/// <param name="Sha256">The SHA-256 of the content.</param>
/// <param name="SizeBytes">The size the provider reported.</param>
/// <param name="Filename">The file name sent to the provider.</param>
/// <param name="UploadedAt">When the provider accepted it.</param>
/// <param name="LastUsedAt">When it was last handed out by <see cref="IFileSync.UploadAsync"/>.</param>
/// <param name="Reused">Whether <see cref="IFileSync.UploadAsync"/> reused a provider file instead of uploading.</param>
public sealed record ProviderUpload(
    Guid Id,
    Guid? FileId,
    string Provider,
    string ProviderFileId,
    ProviderUploadStatus Status,
    string? Purpose,
    string? Sha256,
    long? SizeBytes,
    string? Filename,
    DateTimeOffset? UploadedAt,
    DateTimeOffset? LastUsedAt,
    bool Reused = false);

namespace Exai.Supabase.Files;

/// <summary>A file as recorded in <c>files</c>.</summary>
/// <param name="Id">The file's id, derived from its bucket and path.</param>
/// <param name="Bucket">The storage bucket.</param>
/// <param name="StoragePath">The path inside the bucket.</param>
/// <param name="OriginalName">The name it was given under.</param>
/// <param name="MimeType">Its MIME type.</param>
/// <param name="SizeBytes">Its size in bytes.</param>
/// <param name="Sha256">The SHA-256 of its content (lower-case hex).</param>
/// <param name="FileType">What it is.</param>
/// <param name="OwnerId">The owning user; <see langword="null"/> for files of the service.</param>
/// <param name="ExpiresAt">When it may be deleted.</param>
public sealed record StoredFile(
    Guid Id,
    string Bucket,
    string StoragePath,
    string? OriginalName,
    string? MimeType,
    long? SizeBytes,
    string? Sha256,
    StoredFileType FileType,
    Guid? OwnerId,
    DateTimeOffset? ExpiresAt);

using System.Text.Json.Nodes;

namespace Exai.Supabase.Files;

/// <summary>A file to record (and, with <see cref="IFileSync.StoreAsync"/>, to store): where it lives and what it is.</summary>
public sealed class FileRegistration
{
    /// <summary>The storage bucket; it must be one of <see cref="FilesOptions.Buckets"/>.</summary>
    /// <value>The default value is <c>user-files</c>.</value>
    public string Bucket { get; init; } = FilesDefaults.UserFilesBucket;

    /// <summary>
    /// The object's path inside the bucket, such as <c>user-42/report.pdf</c>: relative, separated by <c>/</c>, with no
    /// empty, <c>.</c> or <c>..</c> segments, no back slashes and no control characters. A file's id is derived
    /// from its bucket and path, so every instance agrees on it.
    /// </summary>
    public required string StoragePath { get; init; }

    /// <summary>The name the file had when it was given (sent to providers as the upload's file name).</summary>
    public string? OriginalName { get; init; }

    /// <summary>The MIME type, such as <c>application/pdf</c>.</summary>
    public string? MimeType { get; init; }

    /// <summary>The size in bytes; computed by <see cref="IFileSync.StoreAsync"/>.</summary>
    public long? SizeBytes { get; init; }

    /// <summary>The SHA-256 of the content as 64 lower-case hex digits; computed by <see cref="IFileSync.StoreAsync"/>. Uploads of the same content are reused by it.</summary>
    public string? Sha256 { get; init; }

    /// <summary>What the file is.</summary>
    /// <value>The default value is <see cref="StoredFileType.UserUpload"/>.</value>
    public StoredFileType FileType { get; init; } = StoredFileType.UserUpload;

    /// <summary>
    /// The owning user. <see langword="null"/> takes the current <see cref="Security.ExaiScope"/>'s user; the service
    /// scope may name any user, a user scope only itself.
    /// </summary>
    public Guid? OwnerId { get; init; }

    /// <summary>When the file may be deleted (informational; nothing deletes it on its own).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Free-form metadata kept with the record.</summary>
    public JsonObject? Metadata { get; init; }
}

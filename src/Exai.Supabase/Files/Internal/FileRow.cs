namespace Exai.Supabase.Files.Internal;

/// <summary>A row of <c>files</c>: one object in a storage bucket.</summary>
internal sealed class FileRow
{
    public Guid Id { get; set; }

    public Guid? UserId { get; set; }

    public string Bucket { get; set; } = string.Empty;

    public string StoragePath { get; set; } = string.Empty;

    public string? OriginalName { get; set; }

    public string? MimeType { get; set; }

    public long? SizeBytes { get; set; }

    public string? Sha256 { get; set; }

    public string FileType { get; set; } = "user_upload";

    public string Metadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }
}

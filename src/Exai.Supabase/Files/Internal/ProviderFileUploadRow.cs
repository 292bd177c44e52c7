namespace Exai.Supabase.Files.Internal;

/// <summary>A row of <c>provider_file_uploads</c>: a file as a model provider's file API knows it.</summary>
internal sealed class ProviderFileUploadRow
{
    public Guid Id { get; set; }

    public Guid? FileId { get; set; }

    public string Provider { get; set; } = string.Empty;

    public string ProviderFileId { get; set; } = string.Empty;

    public string Status { get; set; } = "pending";

    public string? Purpose { get; set; }

    public string? Sha256 { get; set; }

    public long? SizeBytes { get; set; }

    public string? Filename { get; set; }

    public string? ErrorMessage { get; set; }

    public DateTimeOffset? UploadedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public string Metadata { get; set; } = "{}";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? SourceTable { get; set; }

    public string? SourceId { get; set; }

    public FileRow? File { get; set; }
}

using System.Text.Json.Serialization;
using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// A file registration on its way to <c>files</c>: upserts on the file's name-based id; the latest registration's
/// values win, the owner and creation time stay.
/// </summary>
internal sealed class FileRecord : OutboxRecord
{
    public const string Kind = "file";

    public required Guid FileId { get; init; }

    public Guid? OwnerId { get; init; }

    public required string Bucket { get; init; }

    public required string StoragePath { get; init; }

    public string? OriginalName { get; init; }

    public string? MimeType { get; init; }

    public long? SizeBytes { get; init; }

    public string? Sha256 { get; init; }

    public required string FileType { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public string Metadata { get; init; } = "{}";

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        200 + ((Bucket.Length + StoragePath.Length + (OriginalName?.Length ?? 0) + (MimeType?.Length ?? 0) + (Sha256?.Length ?? 0) + Metadata.Length) * 2);

    [JsonIgnore]
    internal Action<FileRecord>? Landed { get; set; }

    internal override void OnLanded() => Landed?.Invoke(this);

    // A refused or dropped record is no longer pending either.
    internal override void OnAbandoned() => Landed?.Invoke(this);
}

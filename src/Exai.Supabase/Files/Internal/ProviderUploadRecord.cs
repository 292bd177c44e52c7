using System.Text.Json.Serialization;
using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// A file's copy at a provider, on its way to <c>provider_file_uploads</c>: an upsert on the record's name-based
/// id. Also used to move a record forward (last use, status <c>deleted</c>).
/// </summary>
internal sealed class ProviderUploadRecord : OutboxRecord
{
    public const string Kind = "provider_file_upload";

    public required Guid UploadId { get; init; }

    public required Guid FileId { get; init; }

    /// <summary>The file's bucket and path, to find an adopted file row made with another id.</summary>
    public string? Bucket { get; init; }

    public string? StoragePath { get; init; }

    public required string Provider { get; init; }

    public required string ProviderFileId { get; init; }

    public required string Status { get; init; }

    public string? Purpose { get; init; }

    public string? Sha256 { get; init; }

    public long? SizeBytes { get; init; }

    public string? Filename { get; init; }

    public string? ErrorMessage { get; init; }

    public DateTimeOffset? UploadedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        220 + (((Bucket?.Length ?? 0) + (StoragePath?.Length ?? 0) + Provider.Length + ProviderFileId.Length + (Purpose?.Length ?? 0)
                + (Sha256?.Length ?? 0) + (Filename?.Length ?? 0) + (ErrorMessage?.Length ?? 0)) * 2);

    [JsonIgnore]
    internal Action<ProviderUploadRecord>? Landed { get; set; }

    internal override void OnLanded() => Landed?.Invoke(this);

    // A refused or dropped record is no longer pending either.
    internal override void OnAbandoned() => Landed?.Invoke(this);
}

using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Files.Internal;

/// <summary>The configured buckets and their limits, checked before anything is written.</summary>
internal sealed class BucketPolicy(FilesOptions options)
{
    public FileBucketOptions Get(string bucket, string parameterName = "bucket")
    {
        StoragePaths.Bucket(bucket, parameterName);
        if (!options.Buckets.TryGetValue(bucket, out var limits))
        {
            throw new ArgumentException(
                $"Bucket '{bucket}' is not configured (configured: {string.Join(", ", options.Buckets.Keys)}); add it as Exai:Files:Buckets:{bucket}.",
                parameterName);
        }

        return limits;
    }

    public void CheckSize(string bucket, long size)
    {
        var limits = Get(bucket);
        if (size > limits.MaxFileBytes)
        {
            throw TooLarge(bucket, limits.MaxFileBytes, size);
        }
    }

    public void CheckMimeType(string bucket, string? mimeType, string parameterName = "mimeType")
    {
        InputGuard.Optional(mimeType, parameterName, Limits.NameLength);
        var limits = Get(bucket);
        if (limits.AllowedMimeTypes.Count == 0)
        {
            return;
        }

        var type = mimeType ?? "application/octet-stream";
        foreach (var allowed in limits.AllowedMimeTypes)
        {
            if (string.Equals(allowed, type, StringComparison.OrdinalIgnoreCase)
                || (allowed.EndsWith("/*", StringComparison.Ordinal) && type.StartsWith(allowed[..^1], StringComparison.OrdinalIgnoreCase)))
            {
                return;
            }
        }

        throw new ArgumentException(
            $"Bucket '{bucket}' does not accept MIME type '{type}' (Files.Buckets[{bucket}].AllowedMimeTypes: {string.Join(", ", limits.AllowedMimeTypes)}).",
            parameterName);
    }

    public long MaxBytes(string bucket) => Get(bucket).MaxFileBytes;

    public static FileLimitExceededException TooLarge(string bucket, long limit, long size) =>
        new($"Files.Buckets[{bucket}].MaxFileBytes", limit, size, $"The file's size in bucket {bucket}");
}

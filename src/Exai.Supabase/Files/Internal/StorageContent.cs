namespace Exai.Supabase.Files.Internal;

/// <summary>Content on its way into a bucket: seekable, of known length, within the bucket's limit.</summary>
internal static class StorageContent
{
    /// <summary>
    /// The content as a seekable stream: the caller's own when it is seekable (its size checked first), else a
    /// temporary copy made while counting. <c>Owned</c> tells whether the caller must dispose the returned stream.
    /// </summary>
    public static async Task<(Stream Stream, bool Owned, long Length)> PrepareAsync(BucketPolicy buckets, string bucket, Stream content, CancellationToken cancellationToken)
    {
        var limit = buckets.MaxBytes(bucket);
        if (content.CanSeek)
        {
            var length = content.Length - content.Position;
            if (length > limit)
            {
                throw BucketPolicy.TooLarge(bucket, limit, length);
            }

            return (content, false, length);
        }

        var (file, _) = await Spool.ToTempFileAsync(content, limit, size => BucketPolicy.TooLarge(bucket, limit, size), cancellationToken).ConfigureAwait(false);
        return (file, true, file.Length);
    }
}

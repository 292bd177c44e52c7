using System.Security.Cryptography;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Turns any content into a seekable stream of known length (a temporary file that deletes itself on close when the
/// source is not seekable), enforcing a size limit while copying and hashing what passes.
/// </summary>
internal static class Spool
{
    private const int BufferSize = 81_920;

    /// <summary>
    /// Copies <paramref name="source"/> to a temporary file, failing with <paramref name="tooLarge"/>'s exception as
    /// soon as more than <paramref name="limit"/> bytes arrive. Returns the file (positioned at 0) and the SHA-256.
    /// </summary>
    public static async Task<(FileStream File, string Sha256)> ToTempFileAsync(Stream source, long? limit, Func<long, Exception> tooLarge, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"exai-file-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize,
            System.IO.FileOptions.Asynchronous | System.IO.FileOptions.DeleteOnClose);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferSize];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    throw tooLarge(total);
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            return (file, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The SHA-256 of a seekable stream from its position to its end; the position is restored.</summary>
    public static async Task<string> HashAsync(Stream seekable, CancellationToken cancellationToken)
    {
        var start = seekable.Position;
        var hash = await SHA256.HashDataAsync(seekable, cancellationToken).ConfigureAwait(false);
        seekable.Position = start;
        return Convert.ToHexStringLower(hash);
    }
}

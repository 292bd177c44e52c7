namespace Exai.Supabase.Files;

/// <summary>
/// Where file content lives: Supabase Storage over its REST API when <see cref="FileStorageOptions.SupabaseUrl"/> is
/// set, else a local folder. Buckets must be configured in <see cref="FilesOptions.Buckets"/> and their size limits
/// are enforced before anything is written; paths are checked (relative, no empty, <c>.</c> or <c>..</c> segments).
/// </summary>
/// <remarks>
/// The store is the service's: it works with the service key on every user's objects, so every method runs in the
/// service scope only and throws <see cref="InvalidOperationException"/> in a user scope (<see cref="Security.ExaiScope"/>).
/// A user's flow stores and reads files through <see cref="IFileSync"/>, which checks that a path is the user's.
/// </remarks>
public interface IFileStorage
{
    /// <summary>Writes an object.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="path">The path inside the bucket.</param>
    /// <param name="content">The content from its current position to its end (the caller keeps ownership).</param>
    /// <param name="mimeType">The MIME type to keep with it.</param>
    /// <param name="overwrite">Whether to replace an object already there.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The size written, in bytes.</returns>
    /// <exception cref="ArgumentException">The bucket is not configured or the path is invalid.</exception>
    /// <exception cref="FileLimitExceededException">The content is over the bucket's limit.</exception>
    /// <exception cref="FileStorageException">The store refused or failed; status 409 when the object exists and <paramref name="overwrite"/> is false.</exception>
    /// <exception cref="InvalidOperationException">Called in a user scope.</exception>
    Task<long> PutAsync(string bucket, string path, Stream content, string? mimeType = null, bool overwrite = false, CancellationToken cancellationToken = default);

    /// <summary>Opens an object for reading.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A readable stream the caller disposes, or <see langword="null"/> when there is no such object.</returns>
    /// <exception cref="ArgumentException">The bucket is not configured or the path is invalid.</exception>
    /// <exception cref="FileStorageException">The store failed.</exception>
    /// <exception cref="InvalidOperationException">Called in a user scope.</exception>
    Task<Stream?> OpenReadAsync(string bucket, string path, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><see langword="true"/> when it was deleted, <see langword="false"/> when there was none.</returns>
    /// <exception cref="ArgumentException">The bucket is not configured or the path is invalid.</exception>
    /// <exception cref="FileStorageException">The store failed.</exception>
    /// <exception cref="InvalidOperationException">Called in a user scope.</exception>
    Task<bool> DeleteAsync(string bucket, string path, CancellationToken cancellationToken = default);

    /// <summary>Lists one folder of a bucket, ordered by name.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="prefix">The folder (<c>""</c> for the bucket's root).</param>
    /// <param name="limit">The most entries to return (1–1000).</param>
    /// <param name="offset">How many entries to skip.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The entries.</returns>
    /// <exception cref="ArgumentException">The bucket is not configured, the prefix is invalid, or the limit or offset is out of range.</exception>
    /// <exception cref="FileStorageException">The store failed.</exception>
    /// <exception cref="InvalidOperationException">Called in a user scope.</exception>
    Task<IReadOnlyList<StorageObject>> ListAsync(string bucket, string prefix = "", int limit = 100, int offset = 0, CancellationToken cancellationToken = default);
}

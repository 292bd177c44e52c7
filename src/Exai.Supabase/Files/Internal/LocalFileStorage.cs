using System.Net;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// The store used when no Supabase URL is set: one folder per bucket under the root. Writes go to a temporary file
/// beside the target and are moved into place, so a reader never sees half an object.
/// </summary>
internal sealed class LocalFileStorage : IFileStorage
{
    private readonly string _root;
    private readonly BucketPolicy _buckets;

    public LocalFileStorage(FilesOptions options)
    {
        _root = System.IO.Path.GetFullPath(string.IsNullOrWhiteSpace(options.Storage.LocalDirectory) ? FilesDefaults.LocalDirectory : options.Storage.LocalDirectory);
        _buckets = new BucketPolicy(options);
    }

    public string Root => _root;

    public async Task<long> PutAsync(string bucket, string path, Stream content, string? mimeType = null, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var target = Resolve(bucket, path);
        _buckets.CheckMimeType(bucket, mimeType);
        StorageAccess.EnsureService(nameof(PutAsync));
        var (stream, owned, length) = await StorageContent.PrepareAsync(_buckets, bucket, content, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!overwrite && File.Exists(target))
            {
                throw Exists(bucket, path);
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            var temporary = $"{target}.{Guid.NewGuid():N}.partial";
            try
            {
                var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81_920, System.IO.FileOptions.Asynchronous);
                await using (file.ConfigureAwait(false))
                {
                    await stream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    File.Move(temporary, target, overwrite);
                }
                catch (IOException) when (!overwrite && File.Exists(target))
                {
                    throw Exists(bucket, path);
                }
            }
            finally
            {
                File.Delete(temporary);
            }

            return length;
        }
        finally
        {
            if (owned)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public Task<Stream?> OpenReadAsync(string bucket, string path, CancellationToken cancellationToken = default)
    {
        var target = Resolve(bucket, path);
        StorageAccess.EnsureService(nameof(OpenReadAsync));
        try
        {
            Stream stream = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81_920, System.IO.FileOptions.Asynchronous);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task<bool> DeleteAsync(string bucket, string path, CancellationToken cancellationToken = default)
    {
        var target = Resolve(bucket, path);
        StorageAccess.EnsureService(nameof(DeleteAsync));
        if (!File.Exists(target))
        {
            return Task.FromResult(false);
        }

        File.Delete(target);
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<StorageObject>> ListAsync(string bucket, string prefix = "", int limit = 100, int offset = 0, CancellationToken cancellationToken = default)
    {
        _buckets.Get(bucket);
        var folderPath = StoragePaths.Prefix(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        StorageAccess.EnsureService(nameof(ListAsync));
        var folder = folderPath.Length == 0 ? BucketRoot(bucket) : Resolve(bucket, folderPath);
        if (!Directory.Exists(folder))
        {
            return Task.FromResult<IReadOnlyList<StorageObject>>([]);
        }

        var entries = new DirectoryInfo(folder).EnumerateFileSystemInfos()
            .Where(e => !e.Name.EndsWith(".partial", StringComparison.Ordinal))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Skip(offset)
            .Take(limit)
            .Select(e =>
            {
                var full = folderPath.Length == 0 ? e.Name : $"{folderPath}/{e.Name}";
                return e is FileInfo file
                    ? new StorageObject(e.Name, full, file.Length, null, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero), false)
                    : new StorageObject(e.Name, full, null, null, null, true);
            })
            .ToList();
        return Task.FromResult<IReadOnlyList<StorageObject>>(entries);
    }

    private static FileStorageException Exists(string bucket, string path) =>
        new($"An object already exists at {bucket}/{path}; pass overwrite: true to replace it.", HttpStatusCode.Conflict);

    private string BucketRoot(string bucket) => System.IO.Path.Combine(_root, bucket);

    private string Resolve(string bucket, string path)
    {
        _buckets.Get(bucket);
        StoragePaths.Path(path);
        var bucketRoot = BucketRoot(bucket) + System.IO.Path.DirectorySeparatorChar;
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(bucketRoot, path.Replace('/', System.IO.Path.DirectorySeparatorChar)));
        // Defence in depth: whatever the checks above missed, nothing leaves the bucket's folder.
        if (!full.StartsWith(bucketRoot, StringComparison.Ordinal))
        {
            throw new ArgumentException($"path '{path}' resolves outside bucket '{bucket}'.", nameof(path));
        }

        return full;
    }
}

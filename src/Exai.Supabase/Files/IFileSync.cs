namespace Exai.Supabase.Files;

/// <summary>
/// Keeps files in step across storage, the database and the providers' file APIs: records files and their provider
/// uploads (through the outbox), uploads content once per provider and purpose (reusing a provider file with the
/// same SHA-256), deletes everywhere through a durable queue, and finds orphans on either side.
/// </summary>
/// <remarks>
/// Records are written through the outbox: the methods that record return without waiting for the database, and
/// reads see this process's own records before they land. Calls act in the current <see cref="Security.ExaiScope"/>.
/// </remarks>
public interface IFileSync
{
    /// <summary>
    /// Stores <paramref name="content"/> in the file's bucket and records the file, with its size and SHA-256
    /// computed from the content (values given in <paramref name="file"/> for them are checked against it).
    /// </summary>
    /// <param name="file">Where to store it and what it is.</param>
    /// <param name="content">The content, read to its end (the caller keeps ownership).</param>
    /// <param name="overwrite">Whether to replace an object already at the path.</param>
    /// <param name="cancellationToken">Cancels the storing.</param>
    /// <returns>The recorded file.</returns>
    /// <exception cref="ArgumentException">A field of <paramref name="file"/> is invalid (a path with <c>..</c>, an unknown bucket, …).</exception>
    /// <exception cref="FileLimitExceededException">The content is over the bucket's size limit; nothing was stored.</exception>
    /// <exception cref="FileStorageException">The store refused or failed (an object exists and <paramref name="overwrite"/> is false, say).</exception>
    /// <exception cref="UnauthorizedAccessException">In a user scope: the path holds a file that is not the user's (nothing was stored).</exception>
    /// <remarks>
    /// In a user scope an object is replaced (<paramref name="overwrite"/>) only where the path is the user's own file;
    /// elsewhere an object already at the path is a conflict (<see cref="FileStorageException"/>, status 409).
    /// </remarks>
    Task<StoredFile> StoreAsync(FileRegistration file, Stream content, bool overwrite = false, CancellationToken cancellationToken = default);

    /// <summary>Records a file that is already in storage. Never performs I/O.</summary>
    /// <param name="file">The file.</param>
    /// <returns>The recorded file, with its id.</returns>
    /// <exception cref="ArgumentException">A field of <paramref name="file"/> is invalid.</exception>
    /// <exception cref="FileLimitExceededException">Its size is over the bucket's limit.</exception>
    StoredFile Register(FileRegistration file);

    /// <summary>
    /// Makes sure the file is at <paramref name="provider"/> for <paramref name="purpose"/> and returns its record
    /// there. A completed upload of this file, or of any file with the same SHA-256, is reused (its last use moves
    /// forward); otherwise the content is read from storage and uploaded, with the provider's limits checked first.
    /// </summary>
    /// <param name="fileId">The file.</param>
    /// <param name="provider">A configured provider (<see cref="FilesOptions.Providers"/>).</param>
    /// <param name="purpose">One of the provider's purposes (<c>file-extract</c>, …).</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The upload record; <see cref="ProviderUpload.Reused"/> tells whether an existing provider file was used.</returns>
    /// <exception cref="ArgumentException">The provider is not configured, the purpose is not one of its purposes, or no live file has this id.</exception>
    /// <exception cref="FileLimitExceededException">A provider limit would be exceeded; nothing was sent.</exception>
    /// <exception cref="ProviderFileException">The provider refused or failed after the configured retries.</exception>
    /// <exception cref="FileStorageException">The content could not be read from storage.</exception>
    Task<ProviderUpload> UploadAsync(Guid fileId, string provider, string purpose, CancellationToken cancellationToken = default);

    /// <summary>Records an upload made elsewhere (by the caller's own client). Never performs I/O.</summary>
    /// <param name="fileId">The file it is a copy of.</param>
    /// <param name="provider">A configured provider name.</param>
    /// <param name="providerFileId">The provider's id of the file.</param>
    /// <param name="purpose">Its purpose.</param>
    /// <param name="status">Its state.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentException">An argument is invalid.</exception>
    ProviderUpload RecordUpload(Guid fileId, string provider, string providerFileId, string purpose, ProviderUploadStatus status = ProviderUploadStatus.Completed);

    /// <summary>The file with this id, unless it is unknown or its deletion was asked for.</summary>
    /// <param name="fileId">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The file, or <see langword="null"/>.</returns>
    Task<StoredFile?> GetFileAsync(Guid fileId, CancellationToken cancellationToken = default);

    /// <summary>The file's upload records at every provider.</summary>
    /// <param name="fileId">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, oldest first.</returns>
    Task<IReadOnlyList<ProviderUpload>> GetUploadsAsync(Guid fileId, CancellationToken cancellationToken = default);

    /// <summary>
    /// How many live files refer to a provider file: counted from <c>provider_file_uploads</c> (records not marked
    /// deleted whose file exists and is not being deleted), never kept as a counter.
    /// </summary>
    /// <param name="provider">The provider.</param>
    /// <param name="providerFileId">The provider's file id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count.</returns>
    Task<int> CountUploadReferencesAsync(string provider, string providerFileId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues the file's deletion: a <c>file_deletion_jobs</c> row holding what to delete (its object in storage and
    /// its provider files) is written through the outbox with the file marked deleted, in one transaction; a worker
    /// then deletes at each provider (a provider file still used by another file stays) and in storage, and removes
    /// the records.
    /// </summary>
    /// <param name="fileId">The file.</param>
    /// <param name="reason">Why (kept with the job).</param>
    /// <param name="cancellationToken">Cancels the existence check.</param>
    /// <returns>The deletion job's id, or <see langword="null"/> when no live file has this id (nothing queued).</returns>
    Task<Guid?> DeleteAsync(Guid fileId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>A deletion job's state.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The job, or <see langword="null"/> when it is unknown (or not landed yet).</returns>
    Task<FileDeletionJob?> GetDeletionJobAsync(Guid jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Compares every page of the provider's listing with the upload records, both ways: provider files no record
    /// refers to, and records whose provider file is gone. Anything younger than
    /// <see cref="FilesOptions.OrphanGracePeriod"/> is left out (its record may still be on its way). With
    /// <paramref name="cleanUp"/>, deletions of the unknown provider files are queued and the records of missing
    /// ones are marked <see cref="ProviderUploadStatus.Deleted"/>. Service scope only: a user sees only their own
    /// records, so every other file would look unknown.
    /// </summary>
    /// <param name="provider">A configured provider.</param>
    /// <param name="cleanUp">Whether to clean up what was found.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The provider is not configured.</exception>
    /// <exception cref="InvalidOperationException">Called in a user scope.</exception>
    /// <exception cref="ProviderFileException">The listing failed.</exception>
    Task<FileOrphanReport> FindOrphansAsync(string provider, bool cleanUp = false, CancellationToken cancellationToken = default);
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// The files service. Records go through the outbox (<see cref="FileKind"/>, <see cref="ProviderUploadKind"/>,
/// <see cref="FileDeletionKind"/>); reads are one indexed query, after this process's own pending records.
/// </summary>
internal sealed class FileSync : IFileSync
{
    private readonly OutboxProcessor _outbox;
    private readonly ScopedDb _db;
    private readonly PendingFiles _pending;
    private readonly IProviderFileClientFactory _clients;
    private readonly IFileStorage _storage;
    private readonly FileDeletionSignal _deletionSignal;
    private readonly TimeProvider _time;
    private readonly ILogger<FileSync> _logger;
    private readonly FilesOptions _options;
    private readonly BucketPolicy _buckets;

    // One upload per (provider, purpose, content) at a time in this process; the others wait for it and reuse it.
    private readonly ConcurrentDictionary<string, Lazy<Task<UploadedContent>>> _inFlight = new(StringComparer.Ordinal);

    public FileSync(
        OutboxProcessor outbox,
        ScopedDb db,
        PendingFiles pending,
        IProviderFileClientFactory clients,
        IFileStorage storage,
        FileDeletionSignal deletionSignal,
        TimeProvider time,
        IOptions<ExaiSupabaseOptions> options,
        ILogger<FileSync> logger)
    {
        _outbox = outbox;
        _db = db;
        _pending = pending;
        _clients = clients;
        _storage = storage;
        _deletionSignal = deletionSignal;
        _time = time;
        _logger = logger;
        _options = options.Value.Files;
        _buckets = new BucketPolicy(_options);
    }

    public async Task<StoredFile> StoreAsync(FileRegistration file, Stream content, bool overwrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(content);
        var checkedFile = Validate(file);
        if (!ExaiScope.Current.IsService)
        {
            overwrite = await MayReplaceAsync(checkedFile, overwrite, cancellationToken).ConfigureAwait(false);
        }

        Stream seekable = content;
        FileStream? spooled = null;
        string sha256;
        long size;
        try
        {
            if (content.CanSeek)
            {
                size = content.Length - content.Position;
                _buckets.CheckSize(checkedFile.Bucket, size);
                sha256 = await Spool.HashAsync(content, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var limit = _buckets.MaxBytes(checkedFile.Bucket);
                (spooled, sha256) = await Spool.ToTempFileAsync(content, limit, n => BucketPolicy.TooLarge(checkedFile.Bucket, limit, n), cancellationToken).ConfigureAwait(false);
                seekable = spooled;
                size = spooled.Length;
            }

            if (file.Sha256 is not null && !string.Equals(file.Sha256, sha256, StringComparison.Ordinal))
            {
                throw new ArgumentException($"file.Sha256 ({file.Sha256}) is not the SHA-256 of the content ({sha256}).", nameof(file));
            }

            if (file.SizeBytes is not null && file.SizeBytes != size)
            {
                throw new ArgumentException($"file.SizeBytes ({file.SizeBytes}) is not the size of the content ({size}).", nameof(file));
            }

            // The store is the service's (it refuses user scopes); the path was checked above.
            using (ExaiScope.Begin(ExaiScope.Service))
            {
                await _storage.PutAsync(checkedFile.Bucket, checkedFile.StoragePath, seekable, checkedFile.MimeType, overwrite, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (spooled is not null)
            {
                await spooled.DisposeAsync().ConfigureAwait(false);
            }
        }

        return Record(checkedFile with { SizeBytes = size, Sha256 = sha256 }, file.Metadata);
    }

    public StoredFile Register(FileRegistration file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var checkedFile = Validate(file);
        if (checkedFile.SizeBytes is { } size)
        {
            _buckets.CheckSize(checkedFile.Bucket, size);
        }

        return Record(checkedFile, file.Metadata);
    }

    public async Task<ProviderUpload> UploadAsync(Guid fileId, string provider, string purpose, CancellationToken cancellationToken = default)
    {
        var client = _clients.GetClient(InputGuard.Required(provider, nameof(provider), Limits.NameLength));
        InputGuard.Required(purpose, nameof(purpose), Limits.NameLength);
        CheckPurpose(client, purpose);
        var file = await GetFileAsync(fileId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"No live file has id {fileId} (unknown, or its deletion was asked for).", nameof(fileId));

        // This file's own upload for the purpose, else any upload of the same content.
        var own = (await GetUploadsAsync(fileId, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(u => u.Provider == client.Provider && u.Purpose == purpose && u.Status == ProviderUploadStatus.Completed);
        if (own is not null)
        {
            return Reuse(file, own);
        }

        if (file.Sha256 is { } known && await FindSameContentAsync(client.Provider, purpose, known, cancellationToken).ConfigureAwait(false) is { } shared)
        {
            return Reuse(file, shared);
        }

        // Per scope too: a user may share an upload only with their own files, as their reads (row-level security) do.
        var key = $"{ExaiScope.Current.UserId}\n{client.Provider}\n{purpose}\n{file.Sha256 ?? file.Id.ToString()}";
        var lazy = new Lazy<Task<UploadedContent>>(() => UploadContentAsync(client, file, purpose, cancellationToken));
        var running = _inFlight.GetOrAdd(key, lazy);
        UploadedContent uploaded;
        try
        {
            uploaded = await running.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ReferenceEquals(running, lazy))
            {
                _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<UploadedContent>>>(key, lazy));
            }
        }

        if (uploaded.Existing is { } found)
        {
            return Reuse(file, found);
        }

        var now = _time.GetUtcNow();
        var status = uploaded.File.Status is { } s && (s.Equals("error", StringComparison.OrdinalIgnoreCase) || s.Equals("failed", StringComparison.OrdinalIgnoreCase))
            ? ProviderUploadStatus.Failed
            : ProviderUploadStatus.Completed;
        var upload = new ProviderUpload(
            FileIds.ForUpload(file.Id, client.Provider, uploaded.File.Id),
            file.Id,
            client.Provider,
            uploaded.File.Id,
            status,
            purpose,
            uploaded.Sha256,
            uploaded.File.Bytes ?? uploaded.Size,
            uploaded.File.Filename ?? uploaded.FileName,
            uploaded.File.CreatedAt ?? now,
            now,
            Reused: !ReferenceEquals(running, lazy));
        RecordUploadRow(file, upload, status == ProviderUploadStatus.Failed ? Secrets.Scrub(uploaded.File.StatusDetails ?? "the provider could not process the file", null) : null);
        FilesLog.Uploaded(_logger, file.Id, client.Provider, uploaded.File.Id, upload.SizeBytes ?? 0, upload.Reused);
        return upload;
    }

    public ProviderUpload RecordUpload(Guid fileId, string provider, string providerFileId, string purpose, ProviderUploadStatus status = ProviderUploadStatus.Completed)
    {
        InputGuard.NotEmpty(fileId, nameof(fileId));
        var client = _clients.GetClient(InputGuard.Required(provider, nameof(provider), Limits.NameLength));
        InputGuard.Required(providerFileId, nameof(providerFileId), Limits.NameLength);
        InputGuard.Required(purpose, nameof(purpose), Limits.NameLength);
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown upload status.");
        }

        var file = _pending.File(fileId);
        var now = _time.GetUtcNow();
        var upload = new ProviderUpload(
            FileIds.ForUpload(fileId, client.Provider, providerFileId),
            fileId,
            client.Provider,
            providerFileId,
            status,
            purpose,
            file?.Sha256,
            file?.SizeBytes,
            file?.OriginalName,
            now,
            now);
        RecordUploadRow(file, upload, null, fileId);
        return upload;
    }

    public async Task<StoredFile?> GetFileAsync(Guid fileId, CancellationToken cancellationToken = default)
    {
        if (_pending.File(fileId) is { } pending)
        {
            return pending;
        }

        if (_pending.IsBeingDeleted(fileId))
        {
            return null;
        }

        var row = await _db.RunAsync(
            (db, ct) => db.Set<FileRow>().AsNoTracking().FirstOrDefaultAsync(f => f.Id == fileId && f.DeletedAt == null, ct),
            cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToFile(row);
    }

    public async Task<IReadOnlyList<ProviderUpload>> GetUploadsAsync(Guid fileId, CancellationToken cancellationToken = default)
    {
        var rows = await _db.RunAsync(
            (db, ct) => db.Set<ProviderFileUploadRow>().AsNoTracking().Where(u => u.FileId == fileId).OrderBy(u => u.CreatedAt).ToListAsync(ct),
            cancellationToken).ConfigureAwait(false);
        var uploads = rows.Select(ToUpload).ToDictionary(u => u.Id);
        foreach (var pending in _pending.Uploads().Where(u => u.FileId == fileId))
        {
            // The further-advanced of the two wins, as it will when the record lands.
            if (!uploads.TryGetValue(pending.Id, out var landed) || UploadStatuses.Rank(pending.Status) > UploadStatuses.Rank(landed.Status))
            {
                uploads[pending.Id] = pending with { LastUsedAt = Later(pending.LastUsedAt, landed?.LastUsedAt) };
            }
        }

        return uploads.Values.OrderBy(u => u.UploadedAt).ThenBy(u => u.Id).ToList();
    }

    public async Task<int> CountUploadReferencesAsync(string provider, string providerFileId, CancellationToken cancellationToken = default)
    {
        var name = InputGuard.Required(provider, nameof(provider), Limits.NameLength).ToLowerInvariant();
        InputGuard.Required(providerFileId, nameof(providerFileId), Limits.NameLength);
        var landed = await _db.RunAsync(
            (db, ct) => LiveReferences(db, name, providerFileId).Select(u => u.Id).ToListAsync(ct),
            cancellationToken).ConfigureAwait(false);
        var ids = landed.ToHashSet();
        foreach (var pending in _pending.Uploads())
        {
            if (pending.Provider == name && pending.ProviderFileId == providerFileId && pending.Status != ProviderUploadStatus.Deleted
                && pending.FileId is { } file && !_pending.IsBeingDeleted(file))
            {
                ids.Add(pending.Id);
            }
        }

        return ids.Count;
    }

    public async Task<Guid?> DeleteAsync(Guid fileId, string? reason = null, CancellationToken cancellationToken = default)
    {
        InputGuard.NotEmpty(fileId, nameof(fileId));
        reason = InputGuard.Optional(reason, nameof(reason), Limits.ShortTextLength);
        StoredFile? file;
        try
        {
            file = await GetFileAsync(fileId, cancellationToken).ConfigureAwait(false);
            if (file is null)
            {
                return null;
            }
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex))
        {
            // The database is away: queue the deletion anyway; it waits for the file's row like any child record.
            FilesLog.DeleteWithoutCheck(_logger, fileId, PostgresErrors.Describe(ex));
            file = null;
        }

        var (scopeUser, claims) = Scope();
        var now = _time.GetUtcNow();
        var record = new FileDeletionRecord
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            RecordedAt = now,
            ScopeUserId = scopeUser,
            ScopeClaims = claims,
            FileId = fileId,
            Bucket = file?.Bucket,
            StoragePath = file?.StoragePath,
            Reason = reason,
        };
        _pending.AddDeletion(record, _deletionSignal.Nudge);
        _outbox.Record(record);
        FilesLog.DeletionQueued(_logger, fileId, record.Id);
        return record.Id;
    }

    public async Task<FileDeletionJob?> GetDeletionJobAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var row = await _db.RunAsync(
            (db, ct) => db.Set<FileDeletionJobRow>().AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct),
            cancellationToken).ConfigureAwait(false);
        return row is null
            ? null
            : new FileDeletionJob(row.Id, row.FileId, UploadStatuses.JobStatusFromDb(row.Status), row.Attempts, row.LastError, row.Reason, row.NextAttemptAt, row.CreatedAt, row.CompletedAt);
    }

    public async Task<FileOrphanReport> FindOrphansAsync(string provider, bool cleanUp = false, CancellationToken cancellationToken = default)
    {
        if (!ExaiScope.Current.IsService)
        {
            throw new InvalidOperationException("FindOrphansAsync runs in the service scope only: a user sees only their own records, so every other file at the provider would look orphaned.");
        }

        var client = _clients.GetClient(InputGuard.Required(provider, nameof(provider), Limits.NameLength));
        var name = client.Provider;
        // Records first, listing second: a record read here was made before the listing began, so its file is in
        // the listing unless it is really gone.
        var rows = await _db.RunAsync(
            (db, ct) => db.Set<ProviderFileUploadRow>().AsNoTracking()
                .Where(u => u.Provider == name && u.Status != UploadStatuses.Deleted)
                .ToListAsync(ct),
            cancellationToken).ConfigureAwait(false);
        var listing = await client.ListAllAsync(cancellationToken).ConfigureAwait(false);

        var cutoff = _time.GetUtcNow() - _options.OrphanGracePeriod;
        var listed = listing.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var known = rows.Select(r => r.ProviderFileId)
            .Concat(_pending.Uploads().Where(u => u.Provider == name).Select(u => u.ProviderFileId))
            .ToHashSet(StringComparer.Ordinal);
        var unknown = listing.Where(f => !known.Contains(f.Id) && (f.CreatedAt is null || f.CreatedAt <= cutoff)).ToList();
        var missing = rows
            .Where(r => !listed.Contains(r.ProviderFileId) && (r.UploadedAt ?? r.CreatedAt) <= cutoff)
            .Select(ToUpload)
            .ToList();

        var jobs = new List<Guid>();
        if (cleanUp)
        {
            var now = _time.GetUtcNow();
            foreach (var orphan in unknown)
            {
                var targets = new JsonObject
                {
                    ["providers"] = new JsonArray(new JsonObject { ["provider"] = name, ["fileId"] = orphan.Id }),
                };
                var record = new FileDeletionRecord
                {
                    Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
                    RecordedAt = now,
                    Reason = "orphan: the provider file is not known to the database",
                    Targets = targets.ToJsonString(),
                };
                _pending.AddDeletion(record, _deletionSignal.Nudge);
                _outbox.Record(record);
                jobs.Add(record.Id);
            }

            foreach (var gone in missing)
            {
                _outbox.Record(new ProviderUploadRecord
                {
                    Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
                    RecordedAt = now,
                    UploadId = gone.Id,
                    FileId = gone.FileId ?? Guid.Empty,
                    Provider = gone.Provider,
                    ProviderFileId = gone.ProviderFileId,
                    Status = UploadStatuses.Deleted,
                    Purpose = gone.Purpose,
                    Sha256 = gone.Sha256,
                    SizeBytes = gone.SizeBytes,
                    Filename = gone.Filename,
                    ErrorMessage = "gone from the provider (found by an orphan scan)",
                    UploadedAt = gone.UploadedAt,
                });
            }
        }

        FilesLog.OrphanScan(_logger, name, listing.Count, rows.Count, unknown.Count, missing.Count, cleanUp);
        return new FileOrphanReport(name, listing.Count, rows.Count, unknown, missing, cleanUp, jobs);
    }

    /// <summary>Upload records that count as references: not marked deleted, of a file that exists and is not being deleted.</summary>
    internal static IQueryable<ProviderFileUploadRow> LiveReferences(ExaiDbContext db, string provider, string providerFileId) =>
        from u in db.Set<ProviderFileUploadRow>().AsNoTracking()
        join f in db.Set<FileRow>() on u.FileId equals f.Id
        where u.Provider == provider && u.ProviderFileId == providerFileId && u.Status != UploadStatuses.Deleted && f.DeletedAt == null
        select u;

    private static void CheckPurpose(IProviderFileClient client, string purpose)
    {
        if (client is OpenAiStyleFileClient known && !known.Settings.Purposes.Contains(purpose, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"'{purpose}' is not a purpose of provider '{client.Provider}' (it accepts: {string.Join(", ", known.Settings.Purposes)}); set {known.Settings.Option("Purposes")} to add one.",
                nameof(purpose));
        }
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static (Guid? UserId, string? Claims) Scope()
    {
        var scope = ExaiScope.Current;
        return (scope.UserId, scope.ClaimsJson);
    }

    private static StoredFile ToFile(FileRow row) => new(
        row.Id, row.Bucket, row.StoragePath, row.OriginalName, row.MimeType, row.SizeBytes, row.Sha256,
        UploadStatuses.FileTypeFromDb(row.FileType), row.UserId, row.ExpiresAt);

    private static ProviderUpload ToUpload(ProviderFileUploadRow row) => new(
        row.Id, row.FileId, row.Provider, row.ProviderFileId, UploadStatuses.FromDb(row.Status), row.Purpose, row.Sha256,
        row.SizeBytes, row.Filename, row.UploadedAt, row.LastUsedAt);

    private StoredFile Validate(FileRegistration file)
    {
        var bucket = StoragePaths.Bucket(file.Bucket, "file.Bucket");
        _buckets.Get(bucket, "file.Bucket");
        var path = StoragePaths.Path(file.StoragePath, "file.StoragePath");
        var originalName = InputGuard.Optional(file.OriginalName, "file.OriginalName", Limits.ShortTextLength);
        var mimeType = InputGuard.Optional(file.MimeType, "file.MimeType", Limits.NameLength);
        _buckets.CheckMimeType(bucket, mimeType, "file.MimeType");
        if (file.SizeBytes is < 0)
        {
            throw new ArgumentOutOfRangeException("file.SizeBytes", file.SizeBytes, "file.SizeBytes must not be negative.");
        }

        if (file.Sha256 is { } sha && (sha.Length != 64 || !sha.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')))
        {
            throw new ArgumentException("file.Sha256 must be 64 lower-case hexadecimal digits.", "file.Sha256");
        }

        if (!Enum.IsDefined(file.FileType))
        {
            throw new ArgumentOutOfRangeException("file.FileType", file.FileType, "Unknown file type.");
        }

        var scope = ExaiScope.Current;
        InputGuard.NotEmpty(file.OwnerId, "file.OwnerId");
        if (!scope.IsService && file.OwnerId is { } owner && owner != scope.UserId)
        {
            throw new ArgumentException($"file.OwnerId ({owner}) is not the current user ({scope.UserId}); a user scope may record only its own files.", "file.OwnerId");
        }

        return new StoredFile(FileIds.ForFile(bucket, path), bucket, path, originalName, mimeType, file.SizeBytes, file.Sha256, file.FileType, file.OwnerId ?? scope.UserId, file.ExpiresAt);
    }

    /// <summary>
    /// In a user scope the store is written with the service's key, so the path is checked first, as the service (a
    /// user cannot see the rows that matter): a path holding a file that is not the user's is refused; an object is
    /// replaced only where the path is the user's own file, so an object without a record of the user's (one on its
    /// way from someone else, or put there outside the library) is never overwritten. While the database cannot be
    /// asked, nothing is replaced.
    /// </summary>
    /// <returns>Whether the store may replace an object at the path.</returns>
    private async Task<bool> MayReplaceAsync(StoredFile file, bool overwrite, CancellationToken cancellationToken)
    {
        var user = ExaiScope.Current.UserId;
        FileOwner? found;
        try
        {
            using (ExaiScope.Begin(ExaiScope.Service))
            {
                found = await _db.RunAsync(
                    (db, ct) => db.Set<FileRow>().AsNoTracking()
                        .Where(f => f.Bucket == file.Bucket && f.StoragePath == file.StoragePath)
                        .Select(f => new FileOwner(f.UserId))
                        .FirstOrDefaultAsync(ct),
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex))
        {
            return false;
        }

        if (found is not null && found.UserId != user)
        {
            throw new UnauthorizedAccessException(
                $"{file.Bucket}/{file.StoragePath} holds a file that is not the current user's; a user scope may not store over it. Keep each user's files under a folder of their own.");
        }

        return overwrite && (found is not null || _pending.File(file.Id) is not null);
    }

    private StoredFile Record(StoredFile file, JsonObject? metadata)
    {
        var metadataJson = InputGuard.Metadata(metadata, "file.Metadata");
        var (scopeUser, claims) = Scope();
        var now = _time.GetUtcNow();
        var record = new FileRecord
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            RecordedAt = now,
            ScopeUserId = scopeUser,
            ScopeClaims = claims,
            FileId = file.Id,
            OwnerId = file.OwnerId,
            Bucket = file.Bucket,
            StoragePath = file.StoragePath,
            OriginalName = file.OriginalName,
            MimeType = file.MimeType,
            SizeBytes = file.SizeBytes,
            Sha256 = file.Sha256,
            FileType = UploadStatuses.FileTypeToDb(file.FileType),
            ExpiresAt = file.ExpiresAt,
            Metadata = metadataJson,
        };
        _pending.AddFile(record, file);
        _outbox.Record(record);
        return file;
    }

    private ProviderUpload Reuse(StoredFile file, ProviderUpload existing)
    {
        var now = _time.GetUtcNow();
        var upload = existing with
        {
            Id = FileIds.ForUpload(file.Id, existing.Provider, existing.ProviderFileId),
            FileId = file.Id,
            Status = ProviderUploadStatus.Completed,
            LastUsedAt = now,
            Reused = true,
        };
        RecordUploadRow(file, upload, null);
        FilesLog.Reused(_logger, file.Id, upload.Provider, upload.ProviderFileId);
        return upload;
    }

    private void RecordUploadRow(StoredFile? file, ProviderUpload upload, string? error, Guid? fileId = null)
    {
        var (scopeUser, claims) = Scope();
        var now = _time.GetUtcNow();
        var record = new ProviderUploadRecord
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            RecordedAt = now,
            ScopeUserId = scopeUser,
            ScopeClaims = claims,
            UploadId = upload.Id,
            FileId = file?.Id ?? fileId ?? throw new ArgumentNullException(nameof(fileId)),
            Bucket = file?.Bucket,
            StoragePath = file?.StoragePath,
            Provider = upload.Provider,
            ProviderFileId = upload.ProviderFileId,
            Status = UploadStatuses.ToDb(upload.Status),
            Purpose = upload.Purpose,
            Sha256 = upload.Sha256,
            SizeBytes = upload.SizeBytes,
            Filename = upload.Filename,
            ErrorMessage = error,
            UploadedAt = upload.UploadedAt,
            LastUsedAt = upload.LastUsedAt,
        };
        _pending.AddUpload(record, upload with { Reused = false });
        _outbox.Record(record);
    }

    private async Task<ProviderUpload?> FindSameContentAsync(string provider, string purpose, string sha256, CancellationToken cancellationToken)
    {
        var pending = _pending.Uploads().FirstOrDefault(u =>
            u.Provider == provider && u.Purpose == purpose && u.Sha256 == sha256 && u.Status == ProviderUploadStatus.Completed
            && u.FileId is { } file && !_pending.IsBeingDeleted(file));
        if (pending is not null)
        {
            return pending;
        }

        var row = await _db.RunAsync(
            (db, ct) => (
                from u in db.Set<ProviderFileUploadRow>().AsNoTracking()
                join f in db.Set<FileRow>() on u.FileId equals f.Id
                where u.Provider == provider && u.Sha256 == sha256 && u.Purpose == purpose && u.Status == UploadStatuses.Completed && f.DeletedAt == null
                orderby u.UploadedAt descending
                select u).FirstOrDefaultAsync(ct),
            cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToUpload(row);
    }

    private async Task<UploadedContent> UploadContentAsync(IProviderFileClient client, StoredFile file, string purpose, CancellationToken cancellationToken)
    {
        Stream? opened;
        using (ExaiScope.Begin(ExaiScope.Service))
        {
            // The file was read in the caller's scope, so it is theirs to upload.
            opened = await _storage.OpenReadAsync(file.Bucket, file.StoragePath, cancellationToken).ConfigureAwait(false);
        }

        var content = opened
            ?? throw new FileStorageException($"File {file.Id} has no object at {file.Bucket}/{file.StoragePath} in storage; nothing to upload.", System.Net.HttpStatusCode.NotFound);
        var stream = content;
        FileStream? spooled = null;
        try
        {
            string sha256;
            if (content.CanSeek)
            {
                sha256 = file.Sha256 ?? await Spool.HashAsync(content, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                (spooled, sha256) = await Spool.ToTempFileAsync(content, null, _ => new InvalidOperationException(), cancellationToken).ConfigureAwait(false);
                stream = spooled;
            }

            // The hash was unknown until now: content already at the provider is reused after all.
            if (file.Sha256 is null && await FindSameContentAsync(client.Provider, purpose, sha256, cancellationToken).ConfigureAwait(false) is { } shared)
            {
                return new UploadedContent(null!, sha256, 0, string.Empty, shared);
            }

            var fileName = file.OriginalName ?? file.StoragePath[(file.StoragePath.LastIndexOf('/') + 1)..];
            var size = stream.Length - stream.Position;
            var uploaded = await client.UploadAsync(stream, fileName, purpose, file.MimeType, cancellationToken).ConfigureAwait(false);
            return new UploadedContent(uploaded, sha256, size, fileName, null);
        }
        finally
        {
            if (spooled is not null)
            {
                await spooled.DisposeAsync().ConfigureAwait(false);
            }

            await content.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed record FileOwner(Guid? UserId);

    private sealed record UploadedContent(ProviderFile File, string Sha256, long Size, string FileName, ProviderUpload? Existing);
}

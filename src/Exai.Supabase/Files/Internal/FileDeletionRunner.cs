using System.Text.Json;
using System.Text.Json.Nodes;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// One pass of the deletion worker: claims due jobs with <c>FOR UPDATE SKIP LOCKED</c> (so instances never work the
/// same job), deletes at each provider — unless another live file still uses the provider file, a count made at
/// that moment — and in storage (a "not found" counts as done), then in one transaction removes the file's row and
/// its upload records and completes the job. A failed attempt is retried later with a jittered, doubling delay (or
/// the provider's longer <c>Retry-After</c>) until the attempts run out; a job whose worker died (running, lock older
/// than <see cref="FileDeletionOptions.LockTimeout"/>) is claimed again. Times come from the injected
/// <see cref="TimeProvider"/>.
/// </summary>
internal sealed class FileDeletionRunner
{
    private const int MaxErrorLength = 2_000;
    private static readonly string Jobs = $"{TableNames.Schema}.{TableNames.FileDeletionJobs}";
    private static readonly string Files = $"{TableNames.Schema}.{TableNames.Files}";
    private static readonly string Uploads = $"{TableNames.Schema}.{TableNames.ProviderFileUploads}";

    private static readonly string ClaimSql = $"""
        UPDATE {Jobs} j
        SET status = 'running', locked_by = @worker, locked_at = @now, attempts = j.attempts + 1, updated_at = @now
        WHERE j.id IN (
            SELECT id FROM {Jobs}
            WHERE (status = 'pending' AND next_attempt_at <= @now) OR (status = 'running' AND locked_at < @stale)
            ORDER BY next_attempt_at, id
            LIMIT @limit
            FOR UPDATE SKIP LOCKED)
        RETURNING j.id, j.file_id, j.targets::text, j.attempts
        """;

    private static readonly string ReferencesSql = $"""
        SELECT count(*)::int FROM {Uploads} u
        JOIN {Files} f ON f.id = u.file_id
        WHERE u.provider = @provider AND u.provider_file_id = @providerFileId AND u.status <> '{UploadStatuses.Deleted}'
          AND f.deleted_at IS NULL AND u.file_id IS DISTINCT FROM @fileId
        """;

    private readonly ExaiDataSources _dataSources;
    private readonly IProviderFileClientFactory _clients;
    private readonly IFileStorage _storage;
    private readonly FileDeletionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public FileDeletionRunner(
        ExaiDataSources dataSources,
        IProviderFileClientFactory clients,
        IFileStorage storage,
        IOptions<ExaiSupabaseOptions> options,
        TimeProvider time,
        ILogger<FileDeletionRunner> logger)
    {
        _dataSources = dataSources;
        _clients = clients;
        _storage = storage;
        _options = options.Value.Files.Deletion;
        _time = time;
        _logger = logger;
        WorkerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>This worker's name in <c>locked_by</c>.</summary>
    public string WorkerId { get; init; }

    /// <summary>Claims up to <see cref="FileDeletionOptions.Concurrency"/> due jobs and works them at once.</summary>
    /// <returns>How many jobs were claimed.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var jobs = await ClaimAsync(cancellationToken).ConfigureAwait(false);
        if (jobs.Count > 0)
        {
            await Task.WhenAll(jobs.Select(job => WorkAsync(job, cancellationToken))).ConfigureAwait(false);
        }

        return jobs.Count;
    }

    private async Task<List<ClaimedJob>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var connection = await _dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(ClaimSql, connection);
            command.Parameters.Add(new NpgsqlParameter("worker", NpgsqlDbType.Text) { Value = WorkerId });
            command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
            command.Parameters.Add(new NpgsqlParameter("stale", NpgsqlDbType.TimestampTz) { Value = now - _options.LockTimeout });
            command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = _options.Concurrency });
            var jobs = new List<ClaimedJob>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    jobs.Add(new ClaimedJob(
                        reader.GetGuid(0),
                        reader.IsDBNull(1) ? null : reader.GetGuid(1),
                        JsonNode.Parse(reader.GetString(2)) as JsonObject ?? [],
                        reader.GetInt32(3)));
                }
            }

            return jobs;
        }
    }

    private async Task WorkAsync(ClaimedJob job, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        TimeSpan? retryAfter = null;
        try
        {
            if (job.FileId is { } fileId && await IsRevivedAsync(fileId, cancellationToken).ConfigureAwait(false))
            {
                FilesLog.JobSuperseded(_logger, job.Id, job.FileId);
                await CompleteAsync(job, "skipped: the file was registered again after its deletion was asked for", [], cancellationToken).ConfigureAwait(false);
                return;
            }

            var deleted = new List<(string Provider, string FileId)>();
            if (job.Targets["providers"] is JsonArray providers)
            {
                foreach (var target in providers.OfType<JsonObject>())
                {
                    if (target["done"]?.GetValue<bool>() == true)
                    {
                        continue;
                    }

                    var provider = target["provider"]?.GetValue<string>() ?? string.Empty;
                    var providerFileId = target["fileId"]?.GetValue<string>() ?? string.Empty;
                    try
                    {
                        var references = await CountOtherReferencesAsync(provider, providerFileId, job.FileId, cancellationToken).ConfigureAwait(false);
                        if (references > 0)
                        {
                            FilesLog.ProviderFileKept(_logger, job.Id, provider, providerFileId, references);
                            target["outcome"] = $"kept: {references} other file(s) use it";
                        }
                        else
                        {
                            var existed = await _clients.GetClient(provider).DeleteAsync(providerFileId, cancellationToken).ConfigureAwait(false);
                            target["outcome"] = existed ? "deleted" : "not found";
                            deleted.Add((provider, providerFileId));
                        }

                        target["done"] = true;
                    }
                    catch (Exception ex) when (ex is ProviderFileException or ArgumentException or HttpRequestException)
                    {
                        errors.Add(ex.Message);
                        if (ex is ProviderFileException { RetryAfter: { } wait } && (retryAfter is null || wait > retryAfter))
                        {
                            retryAfter = wait;
                        }
                    }
                }
            }

            if (job.Targets["bucket"]?.GetValue<string>() is { } bucket && job.Targets["path"]?.GetValue<string>() is { } path
                && job.Targets["storageDone"]?.GetValue<bool>() != true)
            {
                try
                {
                    var existed = await _storage.DeleteAsync(bucket, path, cancellationToken).ConfigureAwait(false);
                    job.Targets["storageDone"] = true;
                    job.Targets["storageOutcome"] = existed ? "deleted" : "not found";
                }
                catch (Exception ex) when (ex is FileStorageException or ArgumentException or IOException or UnauthorizedAccessException)
                {
                    errors.Add(ex.Message);
                }
            }

            if (errors.Count == 0)
            {
                await CompleteAsync(job, null, deleted, cancellationToken).ConfigureAwait(false);
                FilesLog.JobCompleted(_logger, job.Id, job.FileId, job.Attempts);
                return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the job stays running and is taken over once its lock is stale.
            return;
        }
        catch (Exception ex) when (ex is NpgsqlException or JsonException or InvalidOperationException or FormatException)
        {
            errors.Add(ex is NpgsqlException ? PostgresErrors.Describe(ex) : ex.Message);
        }

        await FailAsync(job, string.Join(" | ", errors), retryAfter, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> IsRevivedAsync(Guid fileId, CancellationToken cancellationToken)
    {
        var connection = await _dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand($"SELECT deleted_at IS NULL FROM {Files} WHERE id = @id", connection);
            command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = fileId });
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
        }
    }

    private async Task<int> CountOtherReferencesAsync(string provider, string providerFileId, Guid? fileId, CancellationToken cancellationToken)
    {
        var connection = await _dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(ReferencesSql, connection);
            command.Parameters.Add(new NpgsqlParameter("provider", NpgsqlDbType.Text) { Value = provider });
            command.Parameters.Add(new NpgsqlParameter("providerFileId", NpgsqlDbType.Text) { Value = providerFileId });
            command.Parameters.Add(new NpgsqlParameter("fileId", NpgsqlDbType.Uuid) { Value = (object?)fileId ?? DBNull.Value });
            return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0);
        }
    }

    private async Task CompleteAsync(ClaimedJob job, string? note, List<(string Provider, string FileId)> deleted, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var connection = await _dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (job.FileId is { } fileId && note is null)
                {
                    // Locking the file row first: a registration of the same path landing now waits for this
                    // transaction, then makes a fresh row instead of losing its upload records to it.
                    using var remove = new NpgsqlCommand($"""
                        SELECT 1 FROM {Files} WHERE id = @file FOR UPDATE;
                        DELETE FROM {Uploads} u USING {Files} f WHERE u.file_id = @file AND f.id = @file AND f.deleted_at IS NOT NULL;
                        DELETE FROM {Files} WHERE id = @file AND deleted_at IS NOT NULL;
                        """, connection, transaction);
                    remove.Parameters.Add(new NpgsqlParameter("file", NpgsqlDbType.Uuid) { Value = fileId });
                    await remove.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                foreach (var (provider, providerFileId) in deleted)
                {
                    // Records left without a file (their file row went earlier) learn that their provider file is gone.
                    using var mark = new NpgsqlCommand($"""
                        UPDATE {Uploads} SET status = '{UploadStatuses.Deleted}', updated_at = @now
                        WHERE provider = @provider AND provider_file_id = @providerFileId AND file_id IS NULL AND status <> '{UploadStatuses.Deleted}'
                        """, connection, transaction);
                    mark.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                    mark.Parameters.Add(new NpgsqlParameter("provider", NpgsqlDbType.Text) { Value = provider });
                    mark.Parameters.Add(new NpgsqlParameter("providerFileId", NpgsqlDbType.Text) { Value = providerFileId });
                    await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using var complete = new NpgsqlCommand($"""
                    UPDATE {Jobs}
                    SET status = 'completed', completed_at = @now, updated_at = @now, locked_by = NULL, locked_at = NULL,
                        last_error = @note, targets = @targets
                    WHERE id = @id AND locked_by = @worker
                    """, connection, transaction);
                complete.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                complete.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = (object?)note ?? DBNull.Value });
                complete.Parameters.Add(new NpgsqlParameter("targets", NpgsqlDbType.Jsonb) { Value = job.Targets.ToJsonString() });
                complete.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = job.Id });
                complete.Parameters.Add(new NpgsqlParameter("worker", NpgsqlDbType.Text) { Value = WorkerId });
                if (await complete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    // Another worker took the job over; its outcome stands (the deletions are idempotent).
                    FilesLog.JobTakenOver(_logger, job.Id, WorkerId);
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FailAsync(ClaimedJob job, string error, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (error.Length > MaxErrorLength)
        {
            error = string.Concat(error.AsSpan(0, MaxErrorLength), "…");
        }

        var giveUp = job.Attempts >= _options.MaxAttempts;
        var delay = HttpRetry.Jittered(_options.RetryDelay, _options.MaxRetryDelay, job.Attempts);
        if (retryAfter > delay)
        {
            delay = retryAfter.Value;
        }

        try
        {
            var connection = await _dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                using var command = new NpgsqlCommand($"""
                    UPDATE {Jobs}
                    SET status = @status, last_error = @error, next_attempt_at = @next, updated_at = @now,
                        locked_by = NULL, locked_at = NULL, targets = @targets
                    WHERE id = @id AND locked_by = @worker
                    """, connection);
                command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = giveUp ? "failed" : "pending" });
                command.Parameters.Add(new NpgsqlParameter("error", NpgsqlDbType.Text) { Value = error });
                command.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.TimestampTz) { Value = now + delay });
                command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                command.Parameters.Add(new NpgsqlParameter("targets", NpgsqlDbType.Jsonb) { Value = job.Targets.ToJsonString() });
                command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = job.Id });
                command.Parameters.Add(new NpgsqlParameter("worker", NpgsqlDbType.Text) { Value = WorkerId });
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    FilesLog.JobTakenOver(_logger, job.Id, WorkerId);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is NpgsqlException && !cancellationToken.IsCancellationRequested)
        {
            // The job stays running and is taken over once its lock is stale.
            FilesLog.WorkerUnavailable(_logger, PostgresErrors.Describe(ex), _options.LockTimeout);
            return;
        }

        if (giveUp)
        {
            FilesLog.JobFailed(_logger, job.Id, job.FileId, job.Attempts, error);
        }
        else
        {
            FilesLog.JobRetry(_logger, job.Id, job.FileId, job.Attempts, error, delay);
        }
    }

    private sealed record ClaimedJob(Guid Id, Guid? FileId, JsonObject Targets, int Attempts);
}

using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Files.Internal;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Security.Internal;

/// <summary>
/// <see cref="IExaiErasure"/>: flushes the outbox, then in one service transaction queues a deletion job for each of
/// the user's live files (as <see cref="FileDeletionKind"/> does: the targets are read as the file is marked
/// deleted) and deletes the user's threads, turns, links, sessions, dead letters and finished deletion jobs.
/// </summary>
internal sealed class ExaiErasure(
    OutboxProcessor outbox,
    ExaiDataSources dataSources,
    FileDeletionSignal deletionSignal,
    ThreadHistoryCache threadCache,
    TimeProvider time,
    ILogger<ExaiErasure> logger) : IExaiErasure
{
    private const string Reason = "erasure of the user";
    private static readonly string Files = Table(TableNames.Files);
    private static readonly string Uploads = Table(TableNames.ProviderFileUploads);
    private static readonly string Jobs = Table(TableNames.FileDeletionJobs);
    private static readonly string Conversations = Table(TableNames.Conversations);

    private static readonly string LockFilesSql =
        $"SELECT id FROM {Files} WHERE user_id = @user AND deleted_at IS NULL ORDER BY id FOR UPDATE";

    private static readonly string CountUploadsSql =
        $"SELECT count(*) FROM {Uploads} WHERE file_id = ANY(@files) AND status <> '{UploadStatuses.Deleted}'";

    private static readonly string QueueFilesSql = $"""
        WITH queued AS (
            INSERT INTO {Jobs} (id, file_id, user_id, status, reason, targets, next_attempt_at, created_at, updated_at)
            SELECT j.job_id, f.id, f.user_id, 'pending', @reason,
                   jsonb_build_object(
                       'bucket', f.bucket,
                       'path', f.storage_path,
                       'providers', COALESCE((
                           SELECT jsonb_agg(DISTINCT jsonb_build_object('provider', u.provider, 'fileId', u.provider_file_id))
                           FROM {Uploads} u
                           WHERE u.file_id = f.id AND u.status <> '{UploadStatuses.Deleted}'), '[]'::jsonb)),
                   @now, @now, @now
            FROM unnest(@files, @jobs) AS j(file_id, job_id)
            JOIN {Files} f ON f.id = j.file_id
            RETURNING file_id)
        UPDATE {Files} f SET deleted_at = @now, updated_at = GREATEST(f.updated_at, @now)
        FROM queued q WHERE f.id = q.file_id
        """;

    private static readonly string RetryFailedJobsSql =
        $"UPDATE {Jobs} SET status = 'pending', attempts = 0, next_attempt_at = @now, updated_at = @now WHERE user_id = @user AND status = 'failed'";

    private static readonly (string Table, string Sql)[] Deletes =
    [
        (TableNames.FileDeletionJobs, $"DELETE FROM {Jobs} WHERE user_id = @user AND status = 'completed'"),
        (TableNames.ConversationFiles, $"""
            DELETE FROM {Table(TableNames.ConversationFiles)} l
            WHERE l.conversation_id IN (SELECT id FROM {Conversations} WHERE user_id = @user)
               OR l.file_id IN (SELECT id FROM {Files} WHERE user_id = @user)
            """),
        (TableNames.Messages, $"""
            DELETE FROM {Table(TableNames.Messages)} m
            WHERE m.user_id = @user OR m.conversation_id IN (SELECT id FROM {Conversations} WHERE user_id = @user)
            """),
        (TableNames.Conversations, $"DELETE FROM {Conversations} WHERE user_id = @user"),
        (TableNames.Sessions, $"DELETE FROM {Table(TableNames.Sessions)} WHERE user_id = @user"),
        (TableNames.OutboxDeadLetters, $"DELETE FROM {Table(TableNames.OutboxDeadLetters)} WHERE user_id = @user"),
    ];

    private static readonly string ThreadsSql = $"SELECT continuation_id FROM {Conversations} WHERE user_id = @user";

    private static readonly string PendingSql = $"SELECT count(*) FROM {Files} WHERE user_id = @user AND deleted_at IS NOT NULL";

    public async Task<ErasureReport> EraseUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        InputGuard.NotEmpty(userId, nameof(userId));
        if (!ExaiScope.Current.IsService)
        {
            throw new InvalidOperationException("Erasing a user is the service side's act: call EraseUserAsync outside a user scope (ExaiScope.Service).");
        }

        SecurityLog.ErasureStarted(logger, userId);
        await outbox.FlushAsync(cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        var jobs = new List<Guid>();
        var threads = new List<string>();
        long uploads;
        long retried;
        long pending;
        var connection = await dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var files = await ReadAsync(connection, transaction, LockFilesSql, userId, r => r.GetGuid(0), cancellationToken).ConfigureAwait(false);
                foreach (var _ in files)
                {
                    jobs.Add(UuidV7.NewId(now.ToUnixTimeMilliseconds()));
                }

                using (var count = Command(connection, transaction, CountUploadsSql, null))
                {
                    count.Parameters.Add(new NpgsqlParameter("files", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = files.ToArray() });
                    uploads = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
                }

                if (files.Count > 0)
                {
                    using var queue = Command(connection, transaction, QueueFilesSql, null);
                    queue.Parameters.Add(new NpgsqlParameter("files", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = files.ToArray() });
                    queue.Parameters.Add(new NpgsqlParameter("jobs", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = jobs.ToArray() });
                    queue.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = Reason });
                    queue.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                    await queue.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using (var retry = Command(connection, transaction, RetryFailedJobsSql, userId))
                {
                    retry.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                    retried = await retry.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                threads.AddRange(await ReadAsync(connection, transaction, ThreadsSql, userId, r => r.GetString(0), cancellationToken).ConfigureAwait(false));
                foreach (var (table, sql) in Deletes)
                {
                    using var delete = Command(connection, transaction, sql, userId);
                    rows[table] = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                using (var count = Command(connection, transaction, PendingSql, userId))
                {
                    pending = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        threadCache.RemoveUser(userId, threads);
        if (jobs.Count > 0 || retried > 0)
        {
            deletionSignal.Nudge();
        }

        var report = new ErasureReport
        {
            UserId = userId,
            RowsDeleted = rows,
            FileDeletionJobs = jobs,
            ProviderUploadsQueued = uploads,
            FileDeletionJobsRetried = retried,
            FilesPending = pending,
        };
        SecurityLog.UserErased(logger, userId, report.TotalRowsDeleted, string.Join(", ", rows.Select(r => $"{r.Key} {r.Value}")), jobs.Count, retried, pending);
        return report;
    }

    private static string Table(string name) => $"{TableNames.Schema}.{name}";

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Guid? userId)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        if (userId is { } user)
        {
            command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Uuid) { Value = user });
        }

        return command;
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, Guid userId, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql, userId);
        var values = new List<T>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                values.Add(read(reader));
            }
        }

        return values;
    }
}

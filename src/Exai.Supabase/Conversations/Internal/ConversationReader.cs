using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// Runs <see cref="ConversationSql"/> in the current scope and maps the rows. A user scope goes through
/// <see cref="ScopedDb"/> (a transaction with the user's claims); the service scope sends its statements in one round
/// trip without an explicit transaction — statements sent together before one Sync form one implicit transaction, so
/// the transaction-local <see cref="ConversationSql.PlanSettings"/> still applies to the query after it.
/// </summary>
internal sealed class ConversationReader(ScopedDb scoped, ExaiDataSources dataSources)
{
    public Task<List<ConversationMessage>> HistoryAsync(string continuationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync((connection, transaction, token) =>
        {
            var command = Command(ConversationSql.History, connection, transaction, continuationId, now);
            return ReadMessagesAsync(command, continuationId, reverse: false, token);
        }, cancellationToken);

    /// <summary>The newest <paramref name="count"/> turns older than <paramref name="before"/> (all when null), oldest first.</summary>
    public Task<List<ConversationMessage>> NewestAsync(string continuationId, int count, MessageCursor? before, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync((connection, transaction, token) =>
        {
            var command = Command(before is null ? ConversationSql.Newest : ConversationSql.OlderThan, connection, transaction, continuationId, now);
            command.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Integer) { Value = count });
            if (before is { } cursor)
            {
                command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = cursor.CreatedAt });
                command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = cursor.Id });
            }

            return ReadMessagesAsync(command, continuationId, reverse: true, token);
        }, cancellationToken);

    public Task<List<ConversationMessage>> ByIdsAsync(string continuationId, Guid[] ids, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync((connection, transaction, token) =>
        {
            var command = Command(ConversationSql.ByIds, connection, transaction, continuationId, now);
            command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
            return ReadMessagesAsync(command, continuationId, reverse: false, token);
        }, cancellationToken);

    public Task<ConversationThread?> ThreadAsync(string continuationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(async (connection, transaction, token) =>
        {
            using var command = Command(ConversationSql.Thread, connection, transaction, continuationId, now);
            var threads = await ReadThreadsAsync(command, token).ConfigureAwait(false);
            return threads.Count == 0 ? null : threads[0];
        }, cancellationToken);

    public Task<List<ConversationThread>> ThreadsAsync(string sql, Guid owner, int limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(async (connection, transaction, token) =>
        {
            using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Uuid) { Value = owner });
            command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
            command.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Integer) { Value = limit });
            return await ReadThreadsAsync(command, token).ConfigureAwait(false);
        }, cancellationToken);

    public Task<List<ConversationFile>> FilesAsync(string continuationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(async (connection, transaction, token) =>
        {
            using var command = Command(ConversationSql.Files, connection, transaction, continuationId, now);
            var files = new List<ConversationFile>();
            var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(token).ConfigureAwait(false))
                {
                    files.Add(new ConversationFile(
                        reader.GetGuid(0),
                        reader.IsDBNull(1) ? null : reader.GetGuid(1),
                        reader.GetFieldValue<DateTimeOffset>(2),
                        IsPending: false));
                }
            }

            return files;
        }, cancellationToken);

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction?, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!ExaiScope.Current.IsService)
        {
            return await scoped.RunAsync<T>((connection, transaction, token) => work(connection, transaction, token), cancellationToken).ConfigureAwait(false);
        }

        var connection = await dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static NpgsqlCommand Command(string sql, NpgsqlConnection connection, NpgsqlTransaction? transaction, string continuationId, DateTimeOffset now)
    {
        // One round trip: the setting (transaction-local) and the query travel together.
        var command = new NpgsqlCommand($"{ConversationSql.PlanSettings}; {sql}", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter("cid", NpgsqlDbType.Text) { Value = continuationId });
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        return command;
    }

    private static async Task<List<ConversationMessage>> ReadMessagesAsync(NpgsqlCommand command, string continuationId, bool reverse, CancellationToken cancellationToken)
    {
        using (command)
        {
            var messages = new List<ConversationMessage>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var metadata = reader.GetString(11);
                    messages.Add(new ConversationMessage
                    {
                        Id = reader.GetGuid(0),
                        ContinuationId = continuationId,
                        Role = reader.GetString(1),
                        Content = reader.GetString(2),
                        ContentsJson = reader.IsDBNull(3) ? null : reader.GetString(3),
                        ToolName = reader.IsDBNull(4) ? null : reader.GetString(4),
                        Provider = reader.IsDBNull(5) ? null : reader.GetString(5),
                        Model = reader.IsDBNull(6) ? null : reader.GetString(6),
                        InputTokens = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                        OutputTokens = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                        TokenCount = reader.IsDBNull(9) ? null : reader.GetInt32(9),
                        ToolCallId = reader.IsDBNull(10) ? null : reader.GetString(10),
                        MetadataJson = metadata == "{}" ? null : metadata,
                        CreatedAt = reader.GetFieldValue<DateTimeOffset>(12),
                    });
                }
            }

            if (reverse)
            {
                messages.Reverse();
            }

            return messages;
        }
    }

    private static async Task<List<ConversationThread>> ReadThreadsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var threads = new List<ConversationThread>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var metadata = reader.GetString(9);
                threads.Add(new ConversationThread
                {
                    Id = reader.GetGuid(0),
                    ContinuationId = reader.GetString(1),
                    SessionId = reader.IsDBNull(2) ? null : reader.GetGuid(2),
                    UserId = reader.IsDBNull(3) ? null : reader.GetGuid(3),
                    ParentContinuationId = reader.IsDBNull(4) ? null : reader.GetString(4),
                    Title = reader.IsDBNull(5) ? null : reader.GetString(5),
                    ToolName = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Provider = reader.IsDBNull(7) ? null : reader.GetString(7),
                    Model = reader.IsDBNull(8) ? null : reader.GetString(8),
                    MetadataJson = metadata == "{}" ? null : metadata,
                    CreatedAt = reader.GetFieldValue<DateTimeOffset>(10),
                    LastActivityAt = reader.GetFieldValue<DateTimeOffset>(11),
                    ExpiresAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
                });
            }
        }

        return threads;
    }
}

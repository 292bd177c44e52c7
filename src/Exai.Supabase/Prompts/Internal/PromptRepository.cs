using System.Globalization;
using System.Text.Json.Nodes;
using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// The prompt store's SQL, all of it run in the current scope through <see cref="ScopedDb"/>: the cache's reads,
/// the uncached lookup, the management transactions and the statistics. Every statement is served by an index of
/// the model: the partial unique index on active rows, (tool, provider, version), (tool, provider, content_hash),
/// <c>prompt_versions</c>(tool, provider, changed_at) and <c>prompt_performance</c>(prompt_id, executed_at).
/// </summary>
internal sealed class PromptRepository(ScopedDb db, TimeProvider time)
{
    /// <summary>The first key of the transaction-level advisory locks that serialise writers of one (tool, provider).</summary>
    private const int LockClass = 0x45584150; // "EXAP"

    private const string Prompts = $"{TableNames.Schema}.{TableNames.SystemPrompts}";
    private const string History = $"{TableNames.Schema}.{TableNames.PromptVersions}";
    private const string Performance = $"{TableNames.Schema}.{TableNames.PromptPerformance}";

    private const string VersionColumns =
        "id, tool_name, provider, version, tier, prompt_content, content_hash, is_active, metadata::text, created_by, change_description, created_at, activated_at";

    // ---- Cache reads -------------------------------------------------------------------------------------------
    // The refresh loop reads with plain Npgsql: no EF Core model to build or query to compile on a process's first
    // lookup, which would otherwise eat into the time a cold lookup waits before falling back to code.

    /// <summary>Every active row without its text (a scan of the partial unique index on active rows).</summary>
    public Task<List<ActiveHeader>> ActiveHeadersAsync(CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, transaction, ct) =>
            {
                using var command = Command(connection, transaction, $"SELECT id, tool_name, provider, tier, version, content_hash FROM {Prompts} WHERE is_active");
                var list = new List<ActiveHeader>();
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        list.Add(new ActiveHeader(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5)));
                    }
                }

                return list;
            },
            cancellationToken);

    /// <summary>The text of the given versions, with the hash it had when read.</summary>
    public Task<Dictionary<Guid, (string Content, string Hash)>> ContentsAsync(Guid[] ids, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, transaction, ct) =>
            {
                using var command = Command(connection, transaction, $"SELECT id, prompt_content, content_hash FROM {Prompts} WHERE id = ANY(@ids)");
                command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = ids });
                var texts = new Dictionary<Guid, (string, string)>(ids.Length);
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        texts[reader.GetGuid(0)] = (reader.GetString(1), reader.GetString(2));
                    }
                }

                return texts;
            },
            cancellationToken);

    /// <summary>The active rows of the given tools, with their text.</summary>
    public Task<List<ActivePrompt>> ActiveForToolsAsync(string[] tools, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, transaction, ct) =>
            {
                using var command = Command(connection, transaction,
                    $"SELECT id, tool_name, provider, tier, version, content_hash, prompt_content FROM {Prompts} WHERE is_active AND tool_name = ANY(@tools)");
                command.Parameters.Add(new NpgsqlParameter("tools", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = tools });
                var list = new List<ActivePrompt>();
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        list.Add(new ActivePrompt(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
                    }
                }

                return list;
            },
            cancellationToken);

    /// <summary>
    /// The active rows of (tool, provider) and (tool, base): one uncached lookup. EF Core without tracking: in the
    /// service scope that is exactly one statement (no transaction around it).
    /// </summary>
    public Task<List<ActivePrompt>> ActiveForAsync(PromptKey key, CancellationToken cancellationToken)
    {
        var tool = key.Tool;
        var provider = key.Provider;
        return db.RunAsync(
            (context, ct) => context.SystemPrompts.AsNoTracking()
                .Where(p => p.IsActive && p.ToolName == tool && (p.Provider == provider || p.Provider == PromptProviders.Base))
                .Select(p => new ActivePrompt(p.Id, p.ToolName, p.Provider, p.Tier, p.Version, p.ContentHash, p.PromptContent))
                .ToListAsync(ct),
            cancellationToken);
    }

    // ---- Management reads --------------------------------------------------------------------------------------

    public Task<List<PromptVersion>> VersionsAsync(PromptKey key, CancellationToken cancellationToken) =>
        db.RunAsync(
            (connection, transaction, ct) => ReadVersionsAsync(connection, transaction, key, "TRUE ORDER BY created_at, id", [], ct),
            cancellationToken);

    public Task<List<PromptHistoryEntry>> HistoryAsync(PromptKey key, int limit, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, transaction, ct) =>
            {
                using var command = Command(connection, transaction, $"""
                    SELECT id, tool_name, provider, action, prompt_id, version, from_prompt_id, from_version, changed_by, change_description, changed_at
                    FROM {History}
                    WHERE tool_name = @tool AND provider = @provider
                    ORDER BY changed_at DESC, id DESC
                    LIMIT @limit
                    """);
                AddKey(command, key);
                command.Parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Integer) { Value = limit });
                var entries = new List<PromptHistoryEntry>();
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        entries.Add(new PromptHistoryEntry(
                            reader.GetGuid(0),
                            reader.GetString(1),
                            reader.GetString(2),
                            ActionOf(reader.GetString(3)),
                            reader.GetGuid(4),
                            reader.GetString(5),
                            reader.IsDBNull(6) ? null : reader.GetGuid(6),
                            reader.IsDBNull(7) ? null : reader.GetString(7),
                            reader.IsDBNull(8) ? null : reader.GetString(8),
                            reader.IsDBNull(9) ? null : reader.GetString(9),
                            reader.GetFieldValue<DateTimeOffset>(10)));
                    }
                }

                return entries;
            },
            cancellationToken);

    /// <summary>
    /// Statistics of the named versions in one query: each version's executions are read through the
    /// <c>prompt_performance(prompt_id, executed_at)</c> index, the percentiles computed by PostgreSQL.
    /// </summary>
    public Task<List<PromptStatistics>> StatisticsAsync(PromptKey key, string[] versions, DateTimeOffset? since, CancellationToken cancellationToken) =>
        db.RunAsync(
            async (connection, transaction, ct) =>
            {
                using var command = Command(connection, transaction, StatisticsSql);
                AddKey(command, key);
                command.Parameters.Add(new NpgsqlParameter("versions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = versions });
                command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = since is { } s ? s : DBNull.Value });
                var list = new List<PromptStatistics>();
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        list.Add(new PromptStatistics(
                            key.Tool,
                            key.Provider,
                            reader.GetString(1),
                            reader.GetGuid(0),
                            reader.GetInt64(2),
                            reader.GetInt64(3),
                            reader.IsDBNull(4) ? null : reader.GetDouble(4),
                            reader.IsDBNull(5) ? null : reader.GetDouble(5),
                            reader.IsDBNull(6) ? null : reader.GetDouble(6),
                            reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                            reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8)));
                    }
                }

                return list;
            },
            cancellationToken);

    public const string StatisticsSql = $"""
        SELECT sp.id, sp.version, s.executions, s.successes, s.p50, s.p95, s.mean_tokens, s.first_at, s.last_at
        FROM {Prompts} sp
        CROSS JOIN LATERAL (
            SELECT count(*) AS executions,
                   count(*) FILTER (WHERE pp.success) AS successes,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY pp.execution_time_ms) AS p50,
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY pp.execution_time_ms) AS p95,
                   avg(pp.token_count)::double precision AS mean_tokens,
                   min(pp.executed_at) AS first_at,
                   max(pp.executed_at) AS last_at
            FROM {Performance} pp
            WHERE pp.prompt_id = sp.id AND (@since::timestamptz IS NULL OR pp.executed_at >= @since::timestamptz)
        ) s
        WHERE sp.tool_name = @tool AND sp.provider = @provider AND sp.version = ANY(@versions)
        """;

    // ---- Management writes (each one transaction) --------------------------------------------------------------

    /// <summary>
    /// Stores a version unless one of the same tool and provider has identical content. Writers of one (tool,
    /// provider) are serialised by a transaction-level advisory lock (rows that do not exist yet cannot be locked),
    /// so two instances storing the same text at once store it once.
    /// </summary>
    public async Task<PromptStoreResult> StoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ValidPrompt prompt, CancellationToken cancellationToken)
    {
        var key = prompt.Key;
        await LockAsync(connection, transaction, key, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var same = await ReadVersionsAsync(
            connection,
            transaction,
            key,
            "content_hash = md5(@content) AND prompt_content = @content ORDER BY created_at, id LIMIT 1",
            [new NpgsqlParameter("content", NpgsqlDbType.Text) { Value = prompt.Content }],
            cancellationToken).ConfigureAwait(false);
        if (same.Count > 0)
        {
            return new PromptStoreResult(same[0], Created: false);
        }

        string label;
        if (prompt.Version is { } wanted)
        {
            var taken = await ReadVersionsAsync(
                connection,
                transaction,
                key,
                "version = @version",
                [new NpgsqlParameter("version", NpgsqlDbType.Text) { Value = wanted }],
                cancellationToken).ConfigureAwait(false);
            if (taken.Count > 0)
            {
                throw new PromptVersionConflictException(key.Tool, key.Provider, wanted, taken[0].Id);
            }

            label = wanted;
        }
        else
        {
            label = await NextLabelAsync(connection, transaction, key, cancellationToken).ConfigureAwait(false);
        }

        var id = UuidV7.NewId(now.ToUnixTimeMilliseconds());
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch.ConfigureAwait(false))
        {
            var insert = new NpgsqlBatchCommand($"""
                INSERT INTO {Prompts} (id, tool_name, provider, tier, prompt_content, version, is_active, created_by, change_description, metadata, created_at, updated_at)
                VALUES (@id, @tool, @provider, @tier, @content, @version, false, @author, @description, @metadata, @now, @now)
                RETURNING {VersionColumns}
                """);
            insert.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = id });
            AddKey(insert.Parameters, key);
            insert.Parameters.Add(new NpgsqlParameter("tier", NpgsqlDbType.Integer) { Value = prompt.Tier });
            insert.Parameters.Add(new NpgsqlParameter("content", NpgsqlDbType.Text) { Value = prompt.Content });
            insert.Parameters.Add(new NpgsqlParameter("version", NpgsqlDbType.Text) { Value = label });
            insert.Parameters.Add(Text("author", prompt.Author));
            insert.Parameters.Add(Text("description", prompt.ChangeDescription));
            insert.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Jsonb) { Value = prompt.MetadataJson });
            insert.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
            batch.BatchCommands.Add(insert);
            batch.BatchCommands.Add(HistoryInsert(now, PromptChange.Created, key, id, label, null, null, prompt.Author, prompt.ChangeDescription));

            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var stored = ReadVersion(reader);
                return new PromptStoreResult(stored, Created: true);
            }
        }
    }

    /// <summary>
    /// Changes which version of (tool, provider) is active, in the caller's transaction: the rows of the pair are
    /// locked (<c>FOR UPDATE</c>, in id order) so concurrent changes queue behind each other and each sees the
    /// last one's result; the current version is switched off before the target is switched on, and the partial
    /// unique index on active rows is the final arbiter. Writes the history entry, timed once the lock is held so the
    /// history's order is the order the changes were made in. Nothing is written when the target is already active.
    /// </summary>
    public async Task<PromptActivation> ChangeAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        PromptKey key,
        PromptChangeMode mode,
        string? targetVersion,
        string? changedBy,
        string? reason,
        CancellationToken cancellationToken)
    {
        var rows = new List<(Guid Id, string Version, bool IsActive)>();
        using (var select = Command(connection, transaction, $"SELECT id, version, is_active FROM {Prompts} WHERE tool_name = @tool AND provider = @provider ORDER BY id FOR UPDATE"))
        {
            AddKey(select, key);
            var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2)));
                }
            }
        }

        var now = time.GetUtcNow();
        var currentIndex = rows.FindIndex(r => r.IsActive);
        (Guid Id, string Version)? current = currentIndex >= 0 ? (rows[currentIndex].Id, rows[currentIndex].Version) : null;
        (Guid Id, string Version)? target;
        PromptChange action;
        switch (mode)
        {
            case PromptChangeMode.Activate:
                var found = rows.FindIndex(r => string.Equals(r.Version, targetVersion, StringComparison.Ordinal));
                if (found < 0)
                {
                    throw new PromptNotFoundException(key.Tool, key.Provider, targetVersion, [DescribeVersions(key, rows.Select(r => r.Version))]);
                }

                target = (rows[found].Id, rows[found].Version);
                action = PromptChange.Activated;
                break;
            case PromptChangeMode.Rollback:
                var previous = await PreviousAsync(connection, transaction, key, current?.Id, cancellationToken).ConfigureAwait(false);
                if (previous is null)
                {
                    throw new PromptNotFoundException(key.Tool, key.Provider, "(previous)", [current is { } c
                        ? $"history: {key} has no version that was active before {c.Version}"
                        : $"history: {key} has no version that was active"]);
                }

                var back = rows.FindIndex(r => r.Id == previous.Value);
                if (back < 0)
                {
                    throw new PromptNotFoundException(key.Tool, key.Provider, "(previous)", [$"database: the version active before ({previous.Value}) no longer exists"]);
                }

                target = (rows[back].Id, rows[back].Version);
                action = PromptChange.RolledBack;
                break;
            default:
                target = null;
                action = PromptChange.Deactivated;
                break;
        }

        if (current?.Id == target?.Id)
        {
            return new PromptActivation(key.Tool, key.Provider, action, current?.Id, current?.Version, target?.Id, target?.Version, Changed: false, now);
        }

        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch.ConfigureAwait(false))
        {
            if (current is { } from)
            {
                var off = new NpgsqlBatchCommand($"UPDATE {Prompts} SET is_active = false, updated_at = @now WHERE id = @id");
                off.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = from.Id });
                off.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                batch.BatchCommands.Add(off);
            }

            if (target is { } to)
            {
                var on = new NpgsqlBatchCommand($"UPDATE {Prompts} SET is_active = true, activated_at = @now, updated_at = @now WHERE id = @id");
                on.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = to.Id });
                on.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
                batch.BatchCommands.Add(on);
            }

            // A deactivation's entry is about the version switched off (prompt_id is required).
            var about = target ?? current!.Value;
            batch.BatchCommands.Add(HistoryInsert(now, action, key, about.Id, about.Version, current?.Id, current?.Version, changedBy, reason));
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return new PromptActivation(key.Tool, key.Provider, action, current?.Id, current?.Version, target?.Id, target?.Version, Changed: true, now);
    }

    /// <summary>Whether (tool, provider) has an active version, in the caller's transaction.</summary>
    public static async Task<bool> HasActiveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PromptKey key, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, $"SELECT EXISTS (SELECT 1 FROM {Prompts} WHERE tool_name = @tool AND provider = @provider AND is_active)");
        AddKey(command, key);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    /// <summary>The database name of a history action.</summary>
    public static string ActionName(PromptChange action) => action switch
    {
        PromptChange.Created => "created",
        PromptChange.Activated => "activated",
        PromptChange.RolledBack => "rolled_back",
        PromptChange.Deactivated => "deactivated",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private static PromptChange ActionOf(string name) => name switch
    {
        "created" => PromptChange.Created,
        "activated" => PromptChange.Activated,
        "rolled_back" => PromptChange.RolledBack,
        "deactivated" => PromptChange.Deactivated,
        _ => throw new InvalidOperationException($"Unknown prompt history action '{name}'."),
    };

    /// <summary>
    /// The version to roll back to: the one the current version replaced when it was last activated (so repeated
    /// rollbacks walk back), or — with nothing active — the one last switched off.
    /// </summary>
    private static async Task<Guid?> PreviousAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PromptKey key, Guid? current, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, current is null
            ? $"""
              SELECT prompt_id FROM {History}
              WHERE tool_name = @tool AND provider = @provider AND action = 'deactivated'
              ORDER BY changed_at DESC, id DESC LIMIT 1
              """
            : $"""
              SELECT from_prompt_id FROM {History}
              WHERE tool_name = @tool AND provider = @provider AND action = 'activated' AND prompt_id = @current
              ORDER BY changed_at DESC, id DESC LIMIT 1
              """);
        AddKey(command, key);
        if (current is { } id)
        {
            command.Parameters.Add(new NpgsqlParameter("current", NpgsqlDbType.Uuid) { Value = id });
        }

        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid previous ? previous : null;
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PromptKey key, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT pg_advisory_xact_lock(@class, hashtext(@tool || chr(31) || @provider))");
        command.Parameters.Add(new NpgsqlParameter("class", NpgsqlDbType.Integer) { Value = LockClass });
        AddKey(command, key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next free <c>v</c><i>n</i>: one past the highest number among labels of that form.</summary>
    private static async Task<string> NextLabelAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PromptKey key, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, $"SELECT version FROM {Prompts} WHERE tool_name = @tool AND provider = @provider");
        AddKey(command, key);
        var highest = 0L;
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var label = reader.GetString(0);
                if (label.Length > 1 && label[0] == 'v' && long.TryParse(label.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    highest = Math.Max(highest, n);
                }
            }
        }

        return "v" + (highest + 1).ToString(CultureInfo.InvariantCulture);
    }

    private static async Task<List<PromptVersion>> ReadVersionsAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        PromptKey key,
        string condition,
        NpgsqlParameter[] parameters,
        CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, $"SELECT {VersionColumns} FROM {Prompts} WHERE tool_name = @tool AND provider = @provider AND {condition}");
        AddKey(command, key);
        command.Parameters.AddRange(parameters);
        var list = new List<PromptVersion>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(ReadVersion(reader));
            }
        }

        return list;
    }

    private static PromptVersion ReadVersion(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        Tool = reader.GetString(1),
        Provider = reader.GetString(2),
        Version = reader.GetString(3),
        Tier = reader.GetInt32(4),
        Content = reader.GetString(5),
        ContentHash = reader.GetString(6),
        IsActive = reader.GetBoolean(7),
        Metadata = JsonNode.Parse(reader.GetString(8)) as JsonObject,
        CreatedBy = reader.IsDBNull(9) ? null : reader.GetString(9),
        ChangeDescription = reader.IsDBNull(10) ? null : reader.GetString(10),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(11),
        ActivatedAt = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
    };

    private static NpgsqlBatchCommand HistoryInsert(
        DateTimeOffset now,
        PromptChange action,
        PromptKey key,
        Guid promptId,
        string version,
        Guid? fromId,
        string? fromVersion,
        string? changedBy,
        string? reason)
    {
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {History} (id, prompt_id, tool_name, provider, action, version, from_prompt_id, from_version, change_description, changed_by, changed_at)
            VALUES (@id, @prompt_id, @tool, @provider, @action, @version, @from_id, @from_version, @reason, @changed_by, @now)
            """);
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = UuidV7.NewId(now.ToUnixTimeMilliseconds()) });
        command.Parameters.Add(new NpgsqlParameter("prompt_id", NpgsqlDbType.Uuid) { Value = promptId });
        AddKey(command.Parameters, key);
        command.Parameters.Add(new NpgsqlParameter("action", NpgsqlDbType.Text) { Value = ActionName(action) });
        command.Parameters.Add(new NpgsqlParameter("version", NpgsqlDbType.Text) { Value = version });
        command.Parameters.Add(new NpgsqlParameter("from_id", NpgsqlDbType.Uuid) { Value = fromId is { } f ? f : DBNull.Value });
        command.Parameters.Add(Text("from_version", fromVersion));
        command.Parameters.Add(Text("reason", reason));
        command.Parameters.Add(Text("changed_by", changedBy));
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        return command;
    }

    private static string DescribeVersions(PromptKey key, IEnumerable<string> versions)
    {
        var list = versions.Take(20).ToList();
        return list.Count == 0
            ? $"database: {key} has no stored versions"
            : $"database: {key} has versions {string.Join(", ", list)}";
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) => new(sql, connection, transaction);

    private static void AddKey(NpgsqlCommand command, PromptKey key) => AddKey(command.Parameters, key);

    private static void AddKey(NpgsqlParameterCollection parameters, PromptKey key)
    {
        parameters.Add(new NpgsqlParameter("tool", NpgsqlDbType.Text) { Value = key.Tool });
        parameters.Add(new NpgsqlParameter("provider", NpgsqlDbType.Text) { Value = key.Provider });
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = value is null ? DBNull.Value : value };
}

using System.Text.Json;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// Step 1: moves the replaced legacy tables, and the views over them, into the backup schema with
/// <c>ALTER … SET SCHEMA</c> (rows, indexes, constraints, triggers, policies and owned sequences move with them),
/// renames indexes of kept tables whose names the new schema needs, and checks every row count before the
/// transaction commits.
/// </summary>
internal static class BackupStep
{
    /// <summary>How long the step waits for the legacy tables' locks (a live EX-AI server may be writing).</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AdoptionFacts facts, ILogger logger, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, Journal.Create(), cancellationToken).ConfigureAwait(false);
        if (facts.ToMove.Count == 0)
        {
            return;
        }

        var tables = facts.ToMove.Select(t => Sql.Qualified(TableNames.Schema, t.Name)).ToList();
        await ExecuteAsync(connection, transaction, $"SET LOCAL lock_timeout = '{(int)LockTimeout.TotalMilliseconds}ms'; SET LOCAL row_security = off", cancellationToken)
            .ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"LOCK TABLE {string.Join(", ", tables)} IN ACCESS EXCLUSIVE MODE", cancellationToken).ConfigureAwait(false);

        var before = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in facts.ToMove)
        {
            before[table.Name] = await LegacyCatalog.ScalarAsync<long>(connection, transaction,
                $"SELECT count(*) FROM {Sql.Qualified(TableNames.Schema, table.Name)}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var (view, kind) in facts.Views)
        {
            var what = kind == 'm' ? "MATERIALIZED VIEW" : "VIEW";
            await ExecuteAsync(connection, transaction,
                $"ALTER {what} {Sql.Qualified(TableNames.Schema, view)} SET SCHEMA {Sql.Ident(LegacyNames.BackupSchema)}", cancellationToken).ConfigureAwait(false);
            await Journal.WriteAsync(connection, transaction, Journal.MovedView, view, null,
                JsonSerializer.Serialize(new { from = TableNames.Schema, kind = kind.ToString() }), cancellationToken).ConfigureAwait(false);
        }

        foreach (var table in facts.ToMove)
        {
            await ExecuteAsync(connection, transaction,
                $"ALTER TABLE {Sql.Qualified(TableNames.Schema, table.Name)} SET SCHEMA {Sql.Ident(LegacyNames.BackupSchema)}", cancellationToken).ConfigureAwait(false);
        }

        foreach (var (index, table, newName) in facts.IndexRenames)
        {
            await ExecuteAsync(connection, transaction,
                $"ALTER INDEX {Sql.Qualified(TableNames.Schema, index)} RENAME TO {Sql.Ident(newName)}", cancellationToken).ConfigureAwait(false);
            await Journal.WriteAsync(connection, transaction, Journal.RenamedIndex, index, null,
                JsonSerializer.Serialize(new { table, renamed_to = newName }), cancellationToken).ConfigureAwait(false);
            AdoptionLog.IndexRenamed(logger, index, table, newName);
        }

        foreach (var table in facts.ToMove)
        {
            var after = await LegacyCatalog.ScalarAsync<long>(connection, transaction,
                $"SELECT count(*) FROM {Sql.Qualified(LegacyNames.BackupSchema, table.Name)}", cancellationToken).ConfigureAwait(false);
            if (after != before[table.Name])
            {
                throw new ExaiAdoptionException(
                    $"Moving {table.Name} into {LegacyNames.BackupSchema} changed its row count ({before[table.Name]} before, {after} after); rolled back.");
            }

            await Journal.WriteAsync(connection, transaction, Journal.Moved, table.Name, after,
                JsonSerializer.Serialize(new { from = TableNames.Schema, columns = table.Columns.Select(c => new { name = c.Name, type = c.Type }) }),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = Sql.Command(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

using System.Text.Json;
using Npgsql;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// Step 3, for one consolidated table: runs its statements, checks that every legacy row is represented (and that
/// the backup still holds what was moved), and journals the copy, all in the caller's transaction.
/// </summary>
internal static class CopyStep
{
    /// <returns>Rows inserted.</returns>
    public static async Task<long> RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CopyGroup group, CancellationToken cancellationToken)
    {
        // Legacy timestamps without a time zone are read as UTC, whatever the server's default is. Row-level security
        // off: a policy that would hide legacy rows from this role makes the copy fail instead of silently skipping
        // them (and of the count check comparing two filtered counts). No JIT: compiling these wide expressions
        // costs more than running them. Some memory for the sorts of the window functions (duplicates, positions).
        await ExecuteAsync(connection, transaction, "SET LOCAL TimeZone = 'UTC'; SET LOCAL row_security = off; SET LOCAL jit = off; SET LOCAL work_mem = '32MB'", cancellationToken).ConfigureAwait(false);
        long inserted = 0;
        foreach (var statement in group.Statements)
        {
            inserted += Math.Max(0, await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false));
        }

        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var check in group.Checks)
        {
            var expected = await ScalarAsync(connection, transaction, check.Expected, cancellationToken).ConfigureAwait(false);
            var actual = await ScalarAsync(connection, transaction, check.Actual, cancellationToken).ConfigureAwait(false);
            if (expected != actual)
            {
                throw new ExaiAdoptionException(
                    $"Copying {check.Source} into {group.Target} gave {actual} row(s) where {expected} were expected; the copy was rolled back and nothing of it was kept. " +
                    "Two legacy rows with the same id would do this; the adoption journal and the backup are unchanged, so it can be run again once the data is fixed.");
            }

            counts[check.Source] = actual;
        }

        foreach (var source in group.Sources)
        {
            var moved = await ScalarAsync(connection, transaction,
                $"SELECT coalesce((SELECT rows FROM {Journal.Table} WHERE step = {Sql.Literal(Journal.Moved)} AND object = {Sql.Literal(source)} ORDER BY id DESC LIMIT 1), -1)",
                cancellationToken).ConfigureAwait(false);
            var now = await ScalarAsync(connection, transaction, $"SELECT count(*) FROM {Sql.Qualified(LegacyNames.BackupSchema, source)}", cancellationToken)
                .ConfigureAwait(false);
            if (moved >= 0 && moved != now)
            {
                throw new ExaiAdoptionException(
                    $"{LegacyNames.BackupSchema}.{source} holds {now} row(s) but {moved} were moved there; the backup must stay untouched. Nothing was copied.");
            }
        }

        await Journal.WriteAsync(connection, transaction, Journal.CopiedStep, group.Target, inserted,
            JsonSerializer.Serialize(new { sources = counts }), cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = Sql.Command(sql, connection, transaction);
        command.Parameters.AddRange(Consolidation.ParametersFor(sql).ToArray());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = Sql.Command(sql, connection, transaction);
        command.Parameters.AddRange(Consolidation.ParametersFor(sql).ToArray());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }
}

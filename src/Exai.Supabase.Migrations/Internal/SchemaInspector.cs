using Exai.Supabase.Migrations.Adoption.Internal;
using Exai.Supabase.Persistence.Internal;
using Npgsql;

namespace Exai.Supabase.Migrations.Internal;

/// <summary>Reads the live catalog to tell the library's own tables from same-named tables of someone else.</summary>
internal static class SchemaInspector
{
    /// <summary>The first migration: its row in the history table marks the schema as the library's.</summary>
    public const string FirstMigrationSuffix = "_Initial";

    public static async Task ThrowOnForeignTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var foreign = await FindForeignTablesAsync(connection, cancellationToken).ConfigureAwait(false);
        if (foreign.Count > 0)
        {
            throw new ExaiSchemaConflictException(foreign);
        }
    }

    /// <summary>
    /// Fixed-name tables in <c>public</c>, and tables only an EX-AI-MCP-Server database has (<c>exai_issues</c>,
    /// <c>file_metadata</c>, …), when the history shows the library never created its schema there.
    /// </summary>
    public static async Task<IReadOnlyList<string>> FindForeignTablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await IsOwnSchemaAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            return [];
        }

        using var command = new NpgsqlCommand(
            """
            SELECT c.relname
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname = ANY(@names)
            ORDER BY c.relname
            """,
            connection);
        command.Parameters.AddWithValue("schema", TableNames.Schema);
        command.Parameters.AddWithValue("names", TableNames.Fixed.Concat(LegacyNames.LegacyOnly).ToArray());
        var names = new List<string>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                names.Add(reader.GetString(0));
            }
        }

        return names;
    }

    /// <summary>Whether the library's first migration is recorded in its history table.</summary>
    public static async Task<bool> IsOwnSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        using var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        exists.Parameters.AddWithValue("table", $"{TableNames.Schema}.{TableNames.MigrationsHistory}");
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return false;
        }

        using var command = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM {TableNames.Schema}.{TableNames.MigrationsHistory} WHERE migration_id LIKE @pattern)", connection);
        command.Parameters.AddWithValue("pattern", "%" + FirstMigrationSuffix);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}

using Npgsql;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// The adoption journal in the backup schema: what was moved (with its row count at the time), which consolidated
/// tables were copied, and whether adoption completed. Each entry is written in the transaction of the step it
/// records, so the journal never claims a step that did not commit.
/// </summary>
internal static class Journal
{
    public const string Moved = "moved";
    public const string MovedView = "moved_view";
    public const string RenamedIndex = "renamed_index";
    public const string CopiedStep = "copied";
    public const string Complete = "complete";

    public static string Table => Sql.Qualified(LegacyNames.BackupSchema, LegacyNames.Journal);

    public static string Create() => $"""
        CREATE SCHEMA IF NOT EXISTS {Sql.Ident(LegacyNames.BackupSchema)};
        COMMENT ON SCHEMA {Sql.Ident(LegacyNames.BackupSchema)} IS 'EX-AI-MCP-Server tables replaced by Exai.Supabase, kept untouched as a backup; see adoption_journal.';
        CREATE TABLE IF NOT EXISTS {Table} (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            step text NOT NULL,
            object text NOT NULL,
            rows bigint,
            detail jsonb NOT NULL DEFAULT '{"{}"}'::jsonb,
            recorded_at timestamptz NOT NULL DEFAULT now()
        );
        -- Like every table the library creates: row-level security on, and no policy, so only its owner reads it.
        ALTER TABLE {Table} ENABLE ROW LEVEL SECURITY;
        """;

    public static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string step, string obj, long? rows, string detailJson, CancellationToken cancellationToken)
    {
        using var command = Sql.Command($"INSERT INTO {Table} (step, object, rows, detail) VALUES (@step, @object, @rows, @detail::jsonb)", connection, transaction);
        command.Parameters.AddWithValue("step", step);
        command.Parameters.AddWithValue("object", obj);
        command.Parameters.AddWithValue("rows", rows.HasValue ? rows.Value : DBNull.Value);
        command.Parameters.AddWithValue("detail", detailJson);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The journal's entries (step, object, rows), oldest first; empty when there is no journal.</summary>
    public static async Task<List<(string Step, string Object, long? Rows)>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var exists = await LegacyCatalog.ScalarAsync<bool>(connection, transaction, "SELECT to_regclass(@name) IS NOT NULL", cancellationToken,
            ("name", $"{Sql.Ident(LegacyNames.BackupSchema)}.{Sql.Ident(LegacyNames.Journal)}")).ConfigureAwait(false);
        if (!exists)
        {
            return [];
        }

        return await LegacyCatalog.ListAsync(connection, transaction, $"SELECT step, object, rows FROM {Table} ORDER BY id",
            r => (r.GetString(0), r.GetString(1), r.IsDBNull(2) ? (long?)null : r.GetInt64(2)), cancellationToken).ConfigureAwait(false);
    }
}

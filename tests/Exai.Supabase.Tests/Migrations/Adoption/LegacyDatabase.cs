using System.Text.Json;
using Exai.Supabase.Migrations;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exai.Supabase.Tests.Migrations.Adoption;

/// <summary>A fresh database of the test server loaded with one of the legacy EX-AI fixtures.</summary>
internal sealed class LegacyDatabase : IAsyncDisposable
{
    private readonly ExaiDataSources _sources;

    private LegacyDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        // One time zone for every JSON rendering of timestamps the tests compare.
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Timezone = "UTC" }.ConnectionString);
        _sources = new ExaiDataSources(Options.Create(new ExaiSupabaseOptions { ConnectionString = connectionString }));
        Migrator = new ExaiMigrator(_sources);
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public ExaiMigrator Migrator { get; }

    public static string FixturePath(string fixture) =>
        Path.Combine(AppContext.BaseDirectory, "Migrations", "Adoption", "Fixtures", fixture);

    /// <summary>Creates a database and runs the fixture's SQL in it (no fixture: an empty database).</summary>
    public static async Task<LegacyDatabase> CreateAsync(string prefix, string? fixture)
    {
        var connectionString = await TestPostgres.Server.CreateDatabaseAsync(prefix);
        var database = new LegacyDatabase(connectionString);
        if (fixture is not null)
        {
            await database.ExecuteAsync(await File.ReadAllTextAsync(FixturePath(fixture)));
        }

        return database;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return (T)result!;
    }

    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(read(reader));
        }

        return list;
    }

    /// <summary>Every row of every base table of a schema, as jsonb text, by table.</summary>
    public async Task<Dictionary<string, List<JsonElement>>> RowsAsync(string schema)
    {
        var tables = await ListAsync(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = @s AND c.relkind = 'r' ORDER BY 1",
            r => r.GetString(0), ("s", schema));
        var rows = new Dictionary<string, List<JsonElement>>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var json = await ListAsync($"SELECT to_jsonb(t)::text FROM \"{schema}\".\"{table}\" t", r => r.GetString(0));
            rows[table] = [.. json.Select(j => JsonDocument.Parse(j).RootElement.Clone())];
        }

        return rows;
    }

    /// <summary>
    /// What a DBA would compare to prove nothing changed: every relation, type, function, schema, constraint,
    /// policy, trigger and publication member of the database, and every table's row count.
    /// </summary>
    public async Task<List<string>> CatalogSnapshotAsync()
    {
        var snapshot = await ListAsync("""
            SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || c.relrowsecurity::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
            UNION ALL SELECT 'col ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.attnum > 0 AND NOT a.attisdropped AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
            UNION ALL SELECT 'type ' || n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
            UNION ALL SELECT 'proc ' || n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
            UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
            UNION ALL SELECT 'con ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid <> 0
            UNION ALL SELECT 'policy ' || schemaname || '.' || tablename || ' ' || policyname FROM pg_policies
            UNION ALL SELECT 'trigger ' || tgrelid::regclass::text || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL SELECT 'pub ' || pubname || ' ' || schemaname || '.' || tablename FROM pg_publication_tables
            UNION ALL SELECT 'ext ' || extname FROM pg_extension
            """, r => r.GetString(0));
        foreach (var (schema, table) in await ListAsync(
                     "SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
                     r => (r.GetString(0), r.GetString(1))))
        {
            snapshot.Add($"rows {schema}.{table} {await ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".\"{table}\"")}");
        }

        snapshot.Sort(StringComparer.Ordinal);
        return snapshot;
    }

    /// <summary>The primary-key columns of a table, in key order.</summary>
    public Task<List<string>> KeyColumnsAsync(string schema, string table) => ListAsync("""
        SELECT a.attname::text
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE n.nspname = @s AND c.relname = @t AND con.contype = 'p'
        ORDER BY k.ord
        """, r => r.GetString(0), ("s", schema), ("t", table));

    /// <summary>Consolidated rows of <paramref name="table"/> that name <paramref name="sourceTable"/> as their source, as JSON.</summary>
    public async Task<List<JsonElement>> AdoptedRowsAsync(string table, string sourceTable) =>
        [.. (await ListAsync($"SELECT to_jsonb(t)::text FROM public.\"{table}\" t WHERE source_table = @s ORDER BY source_id", r => r.GetString(0), ("s", sourceTable)))
            .Select(j => JsonDocument.Parse(j).RootElement.Clone())];

    /// <summary>Row counts of every base table outside the system schemas.</summary>
    public async Task<Dictionary<string, long>> RowCountsAsync()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (schema, table) in await ListAsync(
                     "SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
                     r => (r.GetString(0), r.GetString(1))))
        {
            counts[$"{schema}.{table}"] = await ScalarAsync<long>($"SELECT count(*) FROM \"{schema}\".\"{table}\"");
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _sources.DisposeAsync();
        await TestPostgres.Server.DropDatabaseAsync(ConnectionString);
    }
}

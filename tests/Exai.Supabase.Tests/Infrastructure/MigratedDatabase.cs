using Exai.Supabase.Migrations;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>A fresh database of the shared test server, with the library's migrations applied.</summary>
internal sealed class MigratedDatabase : IAsyncDisposable
{
    private MigratedDatabase(string connectionString, NpgsqlDataSource dataSource)
    {
        ConnectionString = connectionString;
        DataSource = dataSource;
    }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<MigratedDatabase> CreateAsync(string prefix = "exai_test", bool migrate = true)
    {
        var connectionString = await TestPostgres.Server.CreateDatabaseAsync(prefix);
        if (migrate)
        {
            await MigrateAsync(connectionString);
        }

        return new MigratedDatabase(connectionString, NpgsqlDataSource.Create(connectionString));
    }

    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString)
    {
        await using var sources = new ExaiDataSources(Options.Create(new ExaiSupabaseOptions { ConnectionString = connectionString }));
        return await new ExaiMigrator(sources).MigrateAsync();
    }

    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public async Task<List<T>> ColumnAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await TestPostgres.Server.DropDatabaseAsync(ConnectionString);
    }
}

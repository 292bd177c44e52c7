using Exai.Supabase.Migrations;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exai.Supabase.Benchmarks;

/// <summary>A migrated database on the same kind of server the tests use (EXAI_TEST_POSTGRES, Docker, local binaries).</summary>
internal sealed class BenchmarkDatabase : IAsyncDisposable
{
    private BenchmarkDatabase(PostgresServer server, string connectionString)
    {
        Server = server;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    public PostgresServer Server { get; }

    public string ConnectionString { get; }

    public NpgsqlDataSource DataSource { get; }

    public static async Task<BenchmarkDatabase> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var server = await PostgresServer.AcquireAsync(new PostgresServerOptions { Log = Console.Error.WriteLine }, cancellationToken);
        Progress.Say($"server: {server.Description}");
        var connectionString = await server.CreateDatabaseAsync(name, cancellationToken);
        await using (var sources = new ExaiDataSources(Options.Create(new ExaiSupabaseOptions { ConnectionString = connectionString })))
        {
            await new ExaiMigrator(sources).MigrateAsync(cancellationToken);
        }

        return new BenchmarkDatabase(server, connectionString);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var command = DataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Server.DisposeAsync();
    }
}

using Npgsql;

namespace Exai.Supabase.Testing.Internal;

internal sealed class ConfiguredPostgresServer : PostgresServer
{
    private ConfiguredPostgresServer(string connectionString, string description)
    {
        ConnectionString = connectionString;
        Description = description;
    }

    public override PostgresServerKind Kind => PostgresServerKind.Configured;

    public override string ConnectionString { get; }

    public override string Description { get; }

    public static async Task<PostgresServer> ConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new PostgresUnavailableException($"{ConnectionStringVariable} is not a valid connection string ({ex.Message}).", ex);
        }

        try
        {
            var connection = new NpgsqlConnection(builder.ConnectionString);
            await using (connection.ConfigureAwait(false))
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                var description = $"configured server {builder.Host}:{builder.Port} (PostgreSQL {connection.PostgreSqlVersion}) from {ConnectionStringVariable}";
                return new ConfiguredPostgresServer(builder.ConnectionString, description);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new PostgresUnavailableException($"the server named by {ConnectionStringVariable} ({builder.Host}:{builder.Port}) did not answer: {ex.Message}", ex);
        }
    }

    protected override ValueTask DisposeServerAsync() => ValueTask.CompletedTask;
}

using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Exai.Supabase.Testing.Internal;

/// <summary>A Testcontainers PostgreSQL container bound to a fixed host port, so it can be restarted in place.</summary>
internal sealed class ContainerPostgresServer : PostgresServer
{
    private readonly PostgreSqlContainer _container;
    private readonly string _image;
    private readonly int _hostPort;

    private ContainerPostgresServer(PostgreSqlContainer container, string image, int hostPort)
    {
        _container = container;
        _image = image;
        _hostPort = hostPort;
    }

    public override PostgresServerKind Kind => PostgresServerKind.Container;

    public override bool CanRestart => true;

    public override string ConnectionString => new NpgsqlConnectionStringBuilder(_container.GetConnectionString())
    {
        Host = "127.0.0.1",
        Port = _hostPort,
        Database = "postgres",
        Timeout = 5,
    }.ConnectionString;

    public override string Description => $"Testcontainers container {_image} on 127.0.0.1:{_hostPort}";

    public static async Task<PostgresServer> StartNewAsync(PostgresServerOptions options, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var command = ServerSettings.For(options).SelectMany(s => new[] { "-c", $"{s.Key}={s.Value}" }).ToArray();
        var container = new PostgreSqlBuilder(options.ContainerImage)
            .WithPortBinding(port, 5432)
            .WithCommand(command)
            .WithCleanUp(true)
            .Build();
        await container.StartAsync(cancellationToken).ConfigureAwait(false);
        var server = new ContainerPostgresServer(container, options.ContainerImage, port);
        options.Log?.Invoke($"Started {server.Description}.");
        return server;
    }

    public override Task StopAsync(bool immediate = false, CancellationToken cancellationToken = default) =>
        immediate
            ? _container.ExecAsync(["sh", "-c", "kill -9 1"], cancellationToken)
            : _container.StopAsync(cancellationToken);

    public override Task StartAsync(CancellationToken cancellationToken = default) => _container.StartAsync(cancellationToken);

    protected override ValueTask DisposeServerAsync() => _container.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

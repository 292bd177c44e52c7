using System.Collections.Concurrent;
using Exai.Supabase.Testing.Internal;
using Npgsql;

namespace Exai.Supabase.Testing;

/// <summary>
/// A PostgreSQL server for integration tests, benchmarks and demos, found in this order: the connection string in
/// <c>EXAI_TEST_POSTGRES</c>; a Testcontainers container when a Docker engine answers; a private cluster started
/// from the PostgreSQL server binaries on this machine (PATH, then Debian's versioned folders).
/// </summary>
/// <remarks>
/// Servers this type starts are removed on <see cref="DisposeAsync"/>, when the process exits, and, if the process
/// was killed, by the next process that starts one. Databases created through <see cref="CreateDatabaseAsync"/>
/// are dropped on <see cref="DisposeAsync"/>.
/// </remarks>
public abstract class PostgresServer : IAsyncDisposable
{
    /// <summary>The environment variable that names a server to use instead of starting one.</summary>
    public const string ConnectionStringVariable = "EXAI_TEST_POSTGRES";

    private readonly ConcurrentDictionary<string, byte> _createdDatabases = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Where this server came from.</summary>
    public abstract PostgresServerKind Kind { get; }

    /// <summary>A superuser (or database-creating) connection string to the server's maintenance database.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>A one-line description for people: what kind of server, where, which version.</summary>
    public abstract string Description { get; }

    /// <summary>Whether <see cref="StopAsync"/> and <see cref="StartAsync"/> may be used (never on a configured server).</summary>
    public virtual bool CanRestart => false;

    /// <summary>
    /// Finds or starts a server, in the documented order.
    /// </summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A server; dispose it to remove what was started.</returns>
    /// <exception cref="PostgresUnavailableException">No way to get a server worked.</exception>
    public static async Task<PostgresServer> AcquireAsync(PostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgresServerOptions();
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return await ConfiguredPostgresServer.ConnectAsync(configured, cancellationToken).ConfigureAwait(false);
        }

        return await StartPrivateAsync(options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a server of this process's own, ignoring <c>EXAI_TEST_POSTGRES</c>: for tests that stop and restart
    /// their server. A container when a Docker engine answers, otherwise a local cluster.
    /// </summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A server whose <see cref="CanRestart"/> is <see langword="true"/>.</returns>
    /// <exception cref="PostgresUnavailableException">Neither Docker nor server binaries are available.</exception>
    public static async Task<PostgresServer> StartPrivateAsync(PostgresServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PostgresServerOptions();
        if (options.AllowDocker && await DockerProbe.IsAvailableAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                return await ContainerPostgresServer.StartNewAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                options.Log?.Invoke($"Docker answered but the container did not start ({ex.GetType().Name}: {ex.Message}); trying local binaries.");
            }
        }

        var binaries = PostgresBinaries.Find();
        if (binaries is null)
        {
            throw new PostgresUnavailableException("no Docker engine answered and no initdb/pg_ctl was found on PATH or under /usr/lib/postgresql/*/bin.");
        }

        return await LocalClusterServer.StartNewAsync(binaries, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates an empty database on this server and returns a connection string to it. The database is dropped
    /// when this server is disposed.
    /// </summary>
    /// <param name="prefix">A readable prefix for the name (letters, digits and underscores).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A connection string to the new database.</returns>
    public async Task<string> CreateDatabaseAsync(string prefix = "exai_test", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var name = $"{Sanitize(prefix)}_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken).ConfigureAwait(false);

        _createdDatabases.TryAdd(name, 0);
        return DatabaseConnectionString(name);
    }

    /// <summary>A connection string to a named database of this server.</summary>
    /// <param name="database">The database name.</param>
    /// <returns>The connection string.</returns>
    public string DatabaseConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database }.ConnectionString;

    /// <summary>Drops a database created by <see cref="CreateDatabaseAsync"/>, closing its sessions.</summary>
    /// <param name="connectionString">The connection string <see cref="CreateDatabaseAsync"/> returned.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the database is gone.</returns>
    public async Task DropDatabaseAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The connection string names no database.", nameof(connectionString));
        await DropDatabaseByNameAsync(name, cancellationToken).ConfigureAwait(false);
        _createdDatabases.TryRemove(name, out _);
    }

    /// <summary>Stops the server (only when <see cref="CanRestart"/>).</summary>
    /// <param name="immediate"><see langword="true"/> to stop as a crash would; otherwise a fast, clean shutdown.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the server no longer accepts connections.</returns>
    public virtual Task StopAsync(bool immediate = false, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"A {Kind} server cannot be stopped by tests; use {nameof(StartPrivateAsync)}.");

    /// <summary>Starts the server again on the same address (only when <see cref="CanRestart"/>).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the server accepts connections.</returns>
    public virtual Task StartAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"A {Kind} server cannot be started by tests; use {nameof(StartPrivateAsync)}.");

    /// <summary>Drops the databases this instance created and removes whatever it started.</summary>
    /// <returns>A task that completes when everything is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Kind == PostgresServerKind.Configured)
        {
            foreach (var name in _createdDatabases.Keys)
            {
                try
                {
                    await DropDatabaseByNameAsync(name, CancellationToken.None).ConfigureAwait(false);
                }
                catch (NpgsqlException)
                {
                    // Best effort: a database another run still uses is left for its owner to drop.
                }
            }
        }

        await DisposeServerAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Removes what this server started; nothing for a configured server.</summary>
    /// <returns>A task that completes when the server is gone.</returns>
    protected abstract ValueTask DisposeServerAsync();

    private async Task DropDatabaseByNameAsync(string name, CancellationToken cancellationToken)
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE)", cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Sanitize(string prefix)
    {
        Span<char> buffer = stackalloc char[Math.Min(prefix.Length, 29)];
        for (var i = 0; i < buffer.Length; i++)
        {
            var c = char.ToLowerInvariant(prefix[i]);
            buffer[i] = char.IsAsciiLetterOrDigit(c) ? c : '_';
        }

        return new string(buffer);
    }
}

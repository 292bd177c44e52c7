using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Exai.Supabase.Testing.Internal;

/// <summary>
/// A private cluster made with <c>initdb</c> in a temporary folder and run with <c>pg_ctl</c> on a free loopback
/// port, as the <c>postgres</c> user when this process runs as root (initdb refuses root).
/// </summary>
internal sealed class LocalClusterServer : PostgresServer
{
    private const string FolderPrefix = "exai-pg-";
    private const string OwnerFile = "owner.pid";
    private const string SuperUser = "postgres";
    private static readonly ConcurrentDictionary<LocalClusterServer, byte> Running = new();
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly PostgresBinaries _binaries;
    private readonly string _root;
    private readonly string? _runAs;
    private readonly string _password;
    private readonly PostgresServerOptions _options;
    private int _port;

    static LocalClusterServer()
    {
        // Clusters die with the process that made them, also on Ctrl+C and SIGTERM; a SIGKILL leaves them for the
        // next process's sweep.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAllNow();
        Console.CancelKeyPress += (_, _) => RemoveAllNow();
    }

    private LocalClusterServer(PostgresBinaries binaries, string root, string? runAs, string password, PostgresServerOptions options)
    {
        _binaries = binaries;
        _root = root;
        _runAs = runAs;
        _password = password;
        _options = options;
    }

    public override PostgresServerKind Kind => PostgresServerKind.LocalCluster;

    public override bool CanRestart => true;

    public override string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = SuperUser,
        Password = _password,
        Database = "postgres",
        // Outage tests stop the server under live pools; keep their reconnects snappy.
        Timeout = 5,
    }.ConnectionString;

    public override string Description =>
        $"local cluster (PostgreSQL {Version}) from {_binaries.Folder} on 127.0.0.1:{_port}{(_runAs is null ? string.Empty : $", run as '{_runAs}'")}";

    private string DataFolder => Path.Combine(_root, "data");

    private string Version => File.Exists(Path.Combine(DataFolder, "PG_VERSION")) ? File.ReadAllText(Path.Combine(DataFolder, "PG_VERSION")).Trim() : "?";

    public static async Task<PostgresServer> StartNewAsync(PostgresBinaries binaries, PostgresServerOptions options, CancellationToken cancellationToken)
    {
        var runAs = Environment.IsPrivilegedProcess ? SuperUser : null;
        if (runAs is not null && !UserExists(runAs))
        {
            throw new PostgresUnavailableException(
                $"this process runs as root, and initdb refuses root, but there is no '{runAs}' user to run it as (create one: useradd --system {runAs}).");
        }

        SweepAbandoned(binaries, runAs);
        var root = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var server = new LocalClusterServer(binaries, root, runAs, password, options);
        Running.TryAdd(server, 0);
        try
        {
            await server.InitializeAsync(cancellationToken).ConfigureAwait(false);
            await server.StartOnFreePortAsync(cancellationToken).ConfigureAwait(false);
            options.Log?.Invoke($"Started {server.Description}.");
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async Task StopAsync(bool immediate = false, CancellationToken cancellationToken = default)
    {
        var (code, output) = await PgCtlAsync(["-D", DataFolder, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop failed ({code}): {output}");
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // The same port: clients hold connection strings to it. A restart right after an immediate stop may find the
        // port in TIME_WAIT for a moment; postgres sets SO_REUSEADDR, so a short retry is enough.
        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                await StartOnPortAsync(_port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException ex)
            {
                last = ex;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), cancellationToken).ConfigureAwait(false);
            }
        }

        throw last!;
    }

    protected override ValueTask DisposeServerAsync()
    {
        Remove();
        return ValueTask.CompletedTask;
    }

    private static void RemoveAllNow()
    {
        foreach (var server in Running.Keys)
        {
            server.Remove();
        }
    }

    private static bool UserExists(string user) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(user + ":", StringComparison.Ordinal));

    /// <summary>Removes clusters whose owning process is gone (a test run killed with SIGKILL, say).</summary>
    private static void SweepAbandoned(PostgresBinaries binaries, string? runAs)
    {
        string[] folders;
        try
        {
            folders = Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*");
        }
        catch (IOException)
        {
            return;
        }

        foreach (var folder in folders)
        {
            try
            {
                var ownerFile = Path.Combine(folder, OwnerFile);
                if (!File.Exists(ownerFile)
                    || !int.TryParse(File.ReadAllText(ownerFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                    || IsAlive(pid))
                {
                    continue;
                }

                var data = Path.Combine(folder, "data");
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    ProcessRunner.Run(binaries.PgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], runAs, TimeSpan.FromSeconds(30));
                }

                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another process is sweeping the same folder; it wins.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        if (Directory.Exists("/proc"))
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var passwordFile = Path.Combine(_root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, _password + "\n", cancellationToken).ConfigureAwait(false);
        if (_runAs is not null)
        {
            var (chownCode, chownOutput) = await ProcessRunner.RunAsync("chown", ["-R", $"{_runAs}:", _root], null, CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (chownCode != 0)
            {
                throw new PostgresUnavailableException($"could not hand {_root} to user '{_runAs}': {chownOutput}");
            }
        }

        var (code, output) = await ProcessRunner.RunAsync(
            _binaries.InitDb,
            ["-D", DataFolder, "-U", SuperUser, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--no-locale", "--no-sync"],
            _runAs,
            CommandTimeout,
            cancellationToken).ConfigureAwait(false);
        File.Delete(passwordFile);
        if (code != 0)
        {
            throw new PostgresUnavailableException($"initdb failed with exit code {code}: {output}");
        }

        var configuration = new StringBuilder();
        configuration.AppendLine(CultureInfo.InvariantCulture, $"# added by Exai.Supabase.Testing");
        configuration.AppendLine("listen_addresses = '127.0.0.1'");
        configuration.AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{_root}'");
        foreach (var (name, value) in ServerSettings.For(_options))
        {
            configuration.AppendLine(CultureInfo.InvariantCulture, $"{name} = '{value}'");
        }

        // Appending as root keeps the file's owner.
        await File.AppendAllTextAsync(Path.Combine(DataFolder, "postgresql.conf"), configuration.ToString(), cancellationToken).ConfigureAwait(false);
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        InvalidOperationException? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await StartOnPortAsync(FreePort(), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException ex)
            {
                // Another process took the port between our probe and the server's bind.
                last = ex;
            }
        }

        throw new PostgresUnavailableException($"the local cluster did not start: {last!.Message}", last);
    }

    private async Task StartOnPortAsync(int port, CancellationToken cancellationToken)
    {
        _port = port;
        var log = Path.Combine(_root, "server.log");
        var seconds = ((int)_options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var (code, output) = await PgCtlAsync(
            ["-D", DataFolder, "-l", log, "-w", "-t", seconds, "-o", $"-p {port}", "start"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(5)) : string.Empty;
            throw new InvalidOperationException($"pg_ctl start failed ({code}): {output} {tail}".Trim());
        }
    }

    private Task<(int ExitCode, string Output)> PgCtlAsync(string[] arguments, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(_binaries.PgCtl, arguments, _runAs, CommandTimeout, cancellationToken);

    private void Remove()
    {
        if (!Running.TryRemove(this, out _))
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                ProcessRunner.Run(_binaries.PgCtl, ["-D", DataFolder, "-m", "immediate", "-w", "stop"], _runAs, TimeSpan.FromSeconds(30));
            }

            Directory.Delete(_root, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _options.Log?.Invoke($"Could not remove {_root}: {ex.Message}; the next run's sweep will.");
        }
    }
}

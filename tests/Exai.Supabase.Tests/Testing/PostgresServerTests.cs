using System.Net.Sockets;
using Exai.Supabase.Testing;
using Npgsql;

namespace Exai.Supabase.Tests.Testing;

public sealed class PostgresServerTests
{
    [Test]
    public async Task A_private_server_runs_with_logical_replication_and_is_removed_on_dispose()
    {
        var server = await PostgresServer.StartPrivateAsync();
        var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        string walLevel;
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SHOW wal_level", connection);
            walLevel = (string)(await command.ExecuteScalarAsync())!;
        }

        // Other fixtures (and other test runs on this machine) start and remove clusters at the same time, so the
        // check follows this server's own folder rather than counting folders.
        var folder = server.Kind == PostgresServerKind.LocalCluster ? ClusterFolderListeningOn(builder.Port) : null;
        await server.DisposeAsync();

        walLevel.Should().Be("logical");
        server.CanRestart.Should().BeTrue();
        if (server.Kind == PostgresServerKind.LocalCluster)
        {
            folder.Should().NotBeNull("a local cluster lives in a folder of its own");
            Directory.Exists(folder).Should().BeFalse("the cluster's folder is deleted");
        }

        var connect = async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(builder.Host!, builder.Port);
        };
        await connect.Should().ThrowAsync<SocketException>("the server no longer listens");
    }

    [Test]
    public async Task A_cluster_left_by_a_killed_process_is_swept_by_the_next_start()
    {
        var abandoned = Path.Combine(Path.GetTempPath(), "exai-pg-abandoned" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(abandoned);
        // A process id far above any live one on this machine.
        await File.WriteAllTextAsync(Path.Combine(abandoned, "owner.pid"), "2147483000");

        await using var server = await PostgresServer.StartPrivateAsync();

        if (server.Kind == PostgresServerKind.LocalCluster)
        {
            Directory.Exists(abandoned).Should().BeFalse();
        }
        else
        {
            Directory.Delete(abandoned, recursive: true);
            Assert.Inconclusive("Docker served the private server; the sweep belongs to local clusters.");
        }
    }

    [Test]
    public async Task A_private_server_can_be_stopped_and_started_on_the_same_address()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        var connectionString = await server.CreateDatabaseAsync("exai_restart");

        await server.StopAsync(immediate: true);
        var whileDown = async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
        };
        await whileDown.Should().ThrowAsync<NpgsqlException>();

        await server.StartAsync();
        NpgsqlConnection.ClearAllPools();
        await using var again = new NpgsqlConnection(connectionString);
        await again.OpenAsync();
        again.State.Should().Be(System.Data.ConnectionState.Open);
    }

    [Test]
    public void The_unavailable_error_names_the_three_ways_to_get_a_server()
    {
        var error = new PostgresUnavailableException("nothing found");

        error.Message.Should().Contain("EXAI_TEST_POSTGRES").And.Contain("Docker").And.Contain("apt-get install postgresql").And.Contain("nothing found");
    }

    /// <summary>The exai-pg-* folder whose server's postmaster.pid names the port (its fourth line).</summary>
    private static string? ClusterFolderListeningOn(int port)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "exai-pg-*"))
        {
            try
            {
                var pidFile = Path.Combine(folder, "data", "postmaster.pid");
                if (File.Exists(pidFile) && File.ReadLines(pidFile).Skip(3).FirstOrDefault()?.Trim() == port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    return folder;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another server's folder, going away under us.
            }
        }

        return null;
    }
}

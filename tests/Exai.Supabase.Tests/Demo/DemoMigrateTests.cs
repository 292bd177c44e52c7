using System.Net;
using System.Net.Sockets;
using Exai.Supabase.Migrations;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;
using Exai.Supabase.Tests.Migrations;
using Npgsql;

namespace Exai.Supabase.Tests.Demo;

/// <summary><c>demo migrate</c> run as a process, the way users and outside checks run it.</summary>
public sealed class DemoMigrateTests
{
    [Test]
    public async Task Migrate_on_a_fresh_database_exits_0_and_leaves_the_schema()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_demo_fresh", migrate: false);

        var result = await DemoProcess.RunAsync(database.ConnectionString, "migrate");

        result.ExitCode.Should().Be(0, result.ToString());
        result.StandardOutput.Should().Contain(ExaiMigrator.AllMigrations[^1]);
        result.StandardError.Should().BeEmpty();
        await FixedSchema.AssertAllAsync(database.DataSource);
    }

    [Test]
    public async Task Migrate_with_a_wrong_password_exits_1_with_one_line_and_no_password()
    {
        // A private server: it checks passwords, whatever the configured one does.
        await using var server = await PostgresServer.StartPrivateAsync();
        var real = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("exai_demo_badpw"));
        var wrongPassword = $"wrong-{Guid.NewGuid():N}";
        var wrong = new NpgsqlConnectionStringBuilder(real.ConnectionString) { Password = wrongPassword };

        var result = await DemoProcess.RunAsync(wrong.ConnectionString, "migrate");

        result.ExitCode.Should().Be(1, result.ToString());
        result.ErrorLines.Should().ContainSingle().Which.Should().StartWith("error:").And.Contain("28P01");
        result.StandardError.Should().NotContain(wrongPassword).And.NotContain(real.Password!).And.NotContain("   at ");
        result.StandardOutput.Should().NotContain(wrongPassword);
    }

    [Test]
    public async Task Migrate_against_an_unreachable_server_exits_1_with_one_line()
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = FreePort(), Database = "exai", Username = "postgres", Password = "unused-secret", Timeout = 5,
        }.ConnectionString;

        var result = await DemoProcess.RunAsync(connectionString, "migrate");

        result.ExitCode.Should().Be(1, result.ToString());
        result.ErrorLines.Should().ContainSingle().Which.Should().StartWith("error:");
        result.StandardError.Should().NotContain("unused-secret").And.NotContain("   at ");
    }

    [Test]
    public async Task Four_migrate_processes_started_together_on_one_empty_database_all_exit_0()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_demo_four", migrate: false);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => DemoProcess.RunAsync(database.ConnectionString, "migrate")));

        results.Should().OnlyContain(r => r.ExitCode == 0, string.Join(Environment.NewLine, results.Select(r => r.ToString())));
        results.Count(r => r.StandardOutput.Contains("Applied", StringComparison.Ordinal)).Should().Be(1, "one process applies, the others find the schema current");
        (await database.ScalarAsync<long>("SELECT count(*) FROM __exai_migrations_history")).Should().Be(ExaiMigrator.AllMigrations.Count);
        await FixedSchema.AssertAllAsync(database.DataSource);
    }

    [Test]
    public async Task Migrate_script_prints_the_SQL_without_a_connection_string_or_a_server()
    {
        var result = await DemoProcess.RunAsync(null, "migrate", "--script");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardError.Should().BeEmpty();
        result.StandardOutput.Should().StartWith("START TRANSACTION;").And.EndWith("COMMIT;\n")
            .And.Contain("CREATE TABLE public.conversations").And.Contain("CREATE POLICY").And.Contain("supabase_realtime")
            .And.NotContain("throwaway");
    }

    [Test]
    public async Task Migrate_script_never_connects_even_with_an_unreachable_connection_string()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePort()};Database=exai;Username=postgres;Password=x;Timeout=2";

        var result = await DemoProcess.RunAsync(unreachable, "migrate", "--script");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain("CREATE TABLE public.messages");
    }

    [Test]
    public async Task Migrate_on_an_EX_AI_database_exits_1_naming_the_tables_and_adoption()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_demo_foreign", migrate: false);
        await database.ExecuteAsync(ForeignTablesTests.ExaiConversations);

        var result = await DemoProcess.RunAsync(database.ConnectionString, "migrate");

        result.ExitCode.Should().Be(1, result.ToString());
        result.ErrorLines.Should().ContainSingle().Which.Should().Contain("conversations, exai_issues, messages").And.Contain("--adopt-legacy");
        (await Catalog.TablesAsync(database.DataSource)).Should().BeEquivalentTo("conversations", "messages", "exai_issues");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

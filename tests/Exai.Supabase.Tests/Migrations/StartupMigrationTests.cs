using Exai.Supabase.Migrations;
using Exai.Supabase.Migrations.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Exai.Supabase.Tests.Migrations;

public sealed class StartupMigrationTests
{
    [Test]
    public async Task Four_hosts_started_at_once_on_one_empty_database_all_succeed()
    {
        var connectionString = await TestPostgres.Server.CreateDatabaseAsync("exai_four");
        var hosts = Enumerable.Range(0, 4).Select(_ => TestHosts.Build(connectionString)).ToList();
        try
        {
            await Task.WhenAll(hosts.Select(h => Task.Run(() => h.StartAsync())));

            foreach (var host in hosts)
            {
                host.Services.GetRequiredService<SchemaReadiness>().IsReady.Should().BeTrue();
            }

            await using var db = NpgsqlDataSource.Create(connectionString);
            (await Catalog.TablesAsync(db)).Should().Contain(TableNames.All);
            await using var history = db.CreateCommand($"SELECT count(*) FROM {TableNames.MigrationsHistory}");
            ((long)(await history.ExecuteScalarAsync())!).Should().Be(ExaiMigrator.AllMigrations.Count);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }

            await TestPostgres.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Test]
    public async Task A_host_started_while_its_database_is_down_starts_and_migrates_once_the_database_is_up()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        var connectionString = await server.CreateDatabaseAsync("exai_down");
        await server.StopAsync();

        using var host = TestHosts.Build(connectionString, b => b.AddMigrations(o =>
        {
            o.RetryInterval = TimeSpan.FromMilliseconds(200);
            o.MaxRetryInterval = TimeSpan.FromSeconds(1);
        }));
        await host.StartAsync();
        var readiness = host.Services.GetRequiredService<SchemaReadiness>();
        readiness.IsReady.Should().BeFalse("the database is down, so nothing is migrated yet");

        await server.StartAsync();
        await readiness.WhenReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        await using var db = NpgsqlDataSource.Create(connectionString);
        (await Catalog.TablesAsync(db)).Should().Contain(TableNames.Fixed);
        await host.StopAsync();
    }

    [Test]
    public async Task With_fail_fast_a_host_whose_database_is_down_does_not_start()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        var connectionString = await server.CreateDatabaseAsync("exai_failfast");
        await server.StopAsync();

        using var host = TestHosts.Build(connectionString, b => b.AddMigrations(o => o.FailFast = true));
        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<NpgsqlException>()).Which.IsTransient.Should().BeTrue();
    }

    [Test]
    public async Task A_host_with_start_up_migrations_disabled_leaves_the_database_alone()
    {
        var connectionString = await TestPostgres.Server.CreateDatabaseAsync("exai_disabled");
        try
        {
            using var host = TestHosts.Build(connectionString, b => b.AddMigrations(o => o.ApplyAtStartup = false));
            await host.StartAsync();

            await using var db = NpgsqlDataSource.Create(connectionString);
            (await Catalog.TablesAsync(db)).Should().BeEmpty();
            host.Services.GetRequiredService<SchemaReadiness>().IsReady.Should().BeTrue("nothing waits for a migrator that will not run");
            await host.StopAsync();
        }
        finally
        {
            await TestPostgres.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Test]
    public async Task A_host_whose_database_refuses_the_password_fails_to_start_even_when_not_fail_fast()
    {
        // A private server: it checks passwords, whatever the configured one does.
        await using var server = await PostgresServer.StartPrivateAsync();
        var builder = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("exai_badpw")) { Password = "wrong-password" };

        using var host = TestHosts.Build(builder.ConnectionString);
        var start = () => host.StartAsync();

        (await start.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be("28P01");
        host.Services.GetRequiredService<StartupMigrationService>().Should().NotBeNull();
    }
}

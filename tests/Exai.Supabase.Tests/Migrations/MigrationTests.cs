using Exai.Supabase.Migrations;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Exai.Supabase.Tests.Migrations;

public sealed class MigrationTests
{
    [Test]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_model");
        await using var context = new ExaiDbContext(ExaiDbContextConfigurator.Create(database.DataSource));

        context.Database.HasPendingModelChanges().Should().BeFalse("every change to the model needs a migration (dotnet ef migrations add)");
    }

    [Test]
    public async Task Migrating_an_empty_database_applies_every_migration_and_a_second_run_is_a_no_op()
    {
        var connectionString = await TestPostgres.Server.CreateDatabaseAsync("exai_twice");
        try
        {
            var first = await MigratedDatabase.MigrateAsync(connectionString);
            first.Should().Equal(ExaiMigrator.AllMigrations);

            await using var db = NpgsqlDataSource.Create(connectionString);
            var tablesBefore = await Catalog.TablesAsync(db);
            var second = await MigratedDatabase.MigrateAsync(connectionString);

            second.Should().BeEmpty();
            (await Catalog.TablesAsync(db)).Should().Equal(tablesBefore);
            await using var count = db.CreateCommand($"SELECT count(*) FROM {TableNames.MigrationsHistory}");
            ((long)(await count.ExecuteScalarAsync())!).Should().Be(ExaiMigrator.AllMigrations.Count);
        }
        finally
        {
            await TestPostgres.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Test]
    public async Task The_idempotent_script_creates_the_schema_and_can_run_again()
    {
        var script = ExaiMigrator.GenerateScript();
        script.Should().Contain("CREATE TABLE public.messages").And.Contain("ROW LEVEL SECURITY");

        var connectionString = await TestPostgres.Server.CreateDatabaseAsync("exai_script");
        try
        {
            await using var db = NpgsqlDataSource.Create(connectionString);
            for (var run = 0; run < 2; run++)
            {
                await using var command = db.CreateCommand(script);
                await command.ExecuteNonQueryAsync();
            }

            (await Catalog.TablesAsync(db)).Should().Contain(TableNames.Fixed);
            var pending = await MigratedDatabase.MigrateAsync(connectionString);
            pending.Should().BeEmpty("the script records every migration in the history table");
        }
        finally
        {
            await TestPostgres.Server.DropDatabaseAsync(connectionString);
        }
    }

    [Test]
    public async Task Every_migration_id_is_listed_oldest_first()
    {
        var all = ExaiMigrator.AllMigrations;

        all.Should().HaveCountGreaterThanOrEqualTo(2);
        all.Should().BeInAscendingOrder(StringComparer.Ordinal);
        all[0].Should().EndWith("_Initial");
        await Task.CompletedTask;
    }
}

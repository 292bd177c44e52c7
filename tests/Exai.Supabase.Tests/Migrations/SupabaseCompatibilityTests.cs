using Exai.Supabase.Migrations;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Exai.Supabase.Tests.Migrations;

/// <summary>
/// The migrations on databases prepared as Supabase prepares a project's, run as Supabase runs them (a non-superuser
/// with the attributes of its <c>postgres</c> role), and on fresh servers whose roles several databases create at
/// once. Each test uses a private server: roles are cluster-wide, and these tests need them fresh or Supabase's.
/// </summary>
public sealed class SupabaseCompatibilityTests
{
    private PostgresServer _server = null!;
    private SupabaseProject _project = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await PostgresServer.StartPrivateAsync();
        _project = await SupabaseProject.CreateRolesAsync(_server);
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Supabases_non_superuser_postgres_role_migrates_a_database_prepared_as_Supabase_prepares_one()
    {
        var superuser = await _project.CreateDatabaseAsync("exai_supabase");
        await using var db = NpgsqlDataSource.Create(superuser);
        (await ScalarAsync<bool>(db, $"SELECT rolsuper FROM pg_roles WHERE rolname = '{SupabaseProject.PostgresRole}'")).Should().BeFalse();
        var authBefore = await SupabaseProject.AuthFunctionsAsync(db);
        authBefore.Should().HaveCount(3);

        var applied = await MigratedDatabase.MigrateAsync(_project.AsPostgres(superuser));

        applied.Should().Equal(ExaiMigrator.AllMigrations);
        (await SupabaseProject.AuthFunctionsAsync(db)).Should().Equal(authBefore, "Supabase's auth functions are neither created nor replaced");
        (await ScalarAsync<string>(db, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'auth'")).Should().Be("supabase_auth_admin");
        (await ScalarAsync<string>(db, "SELECT pg_get_userbyid(pubowner) FROM pg_publication WHERE pubname = 'supabase_realtime'")).Should().Be(SupabaseProject.PostgresRole);
        await FixedSchema.AssertAllAsync(db);
        await ProbeRowLevelSecurityAsync(_project.AsPostgres(superuser));
        (await MigratedDatabase.MigrateAsync(_project.AsPostgres(superuser))).Should().BeEmpty("a second run finds the schema current");
    }

    [Test]
    public async Task A_table_already_in_the_publication_is_not_added_again()
    {
        var superuser = await _project.CreateDatabaseAsync("exai_supabase_member");
        var asPostgres = _project.AsPostgres(superuser);
        await using (var postgres = NpgsqlDataSource.Create(asPostgres))
        {
            // The tables exist (first migration only), and realtime was switched on for messages by hand.
            await using var context = new ExaiDbContext(ExaiDbContextConfigurator.Create(postgres));
            await context.GetService<IMigrator>().MigrateAsync(ExaiMigrator.AllMigrations[0]);
            await ExecuteAsync(postgres, "ALTER PUBLICATION supabase_realtime ADD TABLE public.messages");
        }

        var applied = await MigratedDatabase.MigrateAsync(asPostgres);

        applied.Should().Equal(ExaiMigrator.AllMigrations.Skip(1));
        await using var db = NpgsqlDataSource.Create(superuser);
        await FixedSchema.AssertPublicationAsync(db);
    }

    [Test]
    public async Task A_publication_for_all_tables_is_left_as_it_is()
    {
        var superuser = await _project.CreateDatabaseAsync("exai_supabase_all", SupabaseProject.Publication.ForAllTables);

        await MigratedDatabase.MigrateAsync(_project.AsPostgres(superuser));

        await using var db = NpgsqlDataSource.Create(superuser);
        (await Catalog.PublicationIsForAllTablesAsync(db)).Should().BeTrue();
        await FixedSchema.AssertAllAsync(db);
    }

    [Test]
    public async Task Default_grants_of_older_projects_do_not_widen_the_privileges_of_the_API_roles()
    {
        var superuser = await _project.CreateDatabaseAsync("exai_supabase_grants", defaultGrantsToApiRoles: true);

        await MigratedDatabase.MigrateAsync(_project.AsPostgres(superuser));

        await using var db = NpgsqlDataSource.Create(superuser);
        await FixedSchema.AssertPrivilegesAsync(db);
        foreach (var role in new[] { "anon", "authenticated", "service_role" })
        {
            (await ScalarAsync<bool>(db, $"SELECT has_function_privilege('{role}', 'public.exai_notify_prompt_change()', 'EXECUTE')"))
                .Should().BeFalse($"{role} has no business calling the library's trigger function");
        }

        await ProbeRowLevelSecurityAsync(_project.AsPostgres(superuser));
    }

    [Test]
    public async Task A_role_that_may_not_use_schema_auth_is_told_the_grant_to_make_and_nothing_is_applied()
    {
        var superuser = await _project.CreateDatabaseAsync("exai_supabase_noauth", authUsageForPostgres: false);
        await using var db = NpgsqlDataSource.Create(superuser);
        // The role would otherwise use the schema through its membership in the API roles.
        await ExecuteAsync(db, "REVOKE USAGE ON SCHEMA auth FROM anon, authenticated, service_role");
        var migrate = () => MigratedDatabase.MigrateAsync(_project.AsPostgres(superuser));

        var refusal = (await migrate.Should().ThrowAsync<PostgresException>()).Which;

        refusal.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        refusal.MessageText.Should().Contain("schema auth");
        refusal.Hint.Should().Be($"GRANT USAGE ON SCHEMA auth TO {SupabaseProject.PostgresRole};");
        (await Catalog.TablesAsync(db)).Should().NotContain(FixedSchema.LibraryTables, "the migrations apply in one transaction")
            .And.NotContain("__exai_migrations_history");

        await ExecuteAsync(db, $"GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role, {SupabaseProject.PostgresRole}");
        (await MigratedDatabase.MigrateAsync(_project.AsPostgres(superuser))).Should().Equal(ExaiMigrator.AllMigrations);
    }

    [Test]
    public async Task A_publication_owned_by_another_role_is_left_alone_and_the_schema_still_migrates()
    {
        var superuser = await _project.CreateDatabaseAsync("exai_supabase_notowner", SupabaseProject.Publication.OwnedByAnotherRole);

        await MigratedDatabase.MigrateAsync(_project.AsPostgres(superuser));

        await using var db = NpgsqlDataSource.Create(superuser);
        (await Catalog.PublicationTablesAsync(db)).Should().BeEmpty("only the publication's owner may add tables to it");
        await FixedSchema.AssertPoliciesAsync(db);
        await FixedSchema.AssertPrivilegesAsync(db);
    }

    [Test]
    public async Task Without_a_publication_or_the_right_to_create_one_the_schema_still_migrates()
    {
        var superuser = await _project.CreateDatabaseAsync("exai_supabase_nopub", SupabaseProject.Publication.Missing);
        await using var db = NpgsqlDataSource.Create(superuser);
        await ExecuteAsync(db, $"REVOKE CREATE ON DATABASE \"{new NpgsqlConnectionStringBuilder(superuser).Database}\" FROM {SupabaseProject.PostgresRole}");

        await MigratedDatabase.MigrateAsync(_project.AsPostgres(superuser));

        (await ScalarAsync<long>(db, "SELECT count(*) FROM pg_publication WHERE pubname = 'supabase_realtime'")).Should().Be(0);
        await FixedSchema.AssertPoliciesAsync(db);
    }

    [Test]
    public async Task The_demo_migrates_a_database_prepared_as_Supabase_prepares_one_as_the_non_superuser()
    {
        var superuser = await _project.CreateDatabaseAsync("exai_supabase_demo");

        var result = await DemoProcess.RunAsync(_project.AsPostgres(superuser), "migrate");

        result.ExitCode.Should().Be(0, result.ToString());
        await using var db = NpgsqlDataSource.Create(superuser);
        await FixedSchema.AssertAllAsync(db);
    }

    [Test]
    public async Task Several_databases_of_a_fresh_server_migrated_at_the_same_moment_all_succeed()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        var project = await SupabaseProject.CreatePostgresRoleOnlyAsync(server);
        var databases = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            databases.Add(await project.CreateOwnedDatabaseAsync($"exai_at_once_{i}"));
        }

        using var start = new SemaphoreSlim(0, databases.Count);
        var migrations = databases.Select(cs => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await MigratedDatabase.MigrateAsync(project.AsPostgres(cs));
        })).ToList();
        start.Release(databases.Count);

        var applied = await Task.WhenAll(migrations);

        applied.Should().OnlyContain(a => a.SequenceEqual(ExaiMigrator.AllMigrations));
        await AssertRolesAsync(server, project);
        foreach (var cs in databases)
        {
            await using var db = NpgsqlDataSource.Create(cs);
            await FixedSchema.AssertAllAsync(db);
        }
    }

    [Test]
    public async Task Migrations_tolerate_another_creator_of_the_roles_at_the_same_moment()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        var project = await SupabaseProject.CreatePostgresRoleOnlyAsync(server);
        var databases = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            databases.Add(await project.CreateOwnedDatabaseAsync($"exai_rival_{i}"));
        }

        await using var admin = NpgsqlDataSource.Create(server.ConnectionString);
        // Two rivals (sessions of the same migrating role, as another database's migration would be) hold uncommitted
        // roles: the first will commit its anon, the second give up its authenticated.
        await using var rivals = NpgsqlDataSource.Create(project.AsPostgres(server.ConnectionString));
        await using var committer = await rivals.OpenConnectionAsync();
        await using var committing = await committer.BeginTransactionAsync();
        await ExecuteAsync(committer, "CREATE ROLE anon NOLOGIN NOINHERIT");
        await using var quitter = await rivals.OpenConnectionAsync();
        await using var quitting = await quitter.BeginTransactionAsync();
        await ExecuteAsync(quitter, "CREATE ROLE authenticated NOLOGIN NOINHERIT");

        var migrations = databases.Select(cs => Task.Run(() => MigratedDatabase.MigrateAsync(project.AsPostgres(cs)))).ToList();
        await WaitUntilBlockedByAsync(admin, committer.ProcessID, databases.Count, migrations);
        await committing.CommitAsync();
        await WaitUntilBlockedByAsync(admin, quitter.ProcessID, 1, migrations);
        await quitting.RollbackAsync();

        var applied = await Task.WhenAll(migrations).WaitAsync(TimeSpan.FromMinutes(2));

        applied.Should().OnlyContain(a => a.SequenceEqual(ExaiMigrator.AllMigrations));
        await AssertRolesAsync(server, project);
        foreach (var cs in databases)
        {
            await using var db = NpgsqlDataSource.Create(cs);
            await FixedSchema.AssertTablesAsync(db);
            await FixedSchema.AssertPoliciesAsync(db);
        }
    }

    /// <summary>Two users and anon, through the migrating role's own connections (it may act as each).</summary>
    private static async Task ProbeRowLevelSecurityAsync(string connectionString)
    {
        await using var db = NpgsqlDataSource.Create(connectionString);
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await Actor.Authenticated(a).ExecuteAsync(db, "INSERT INTO conversations (continuation_id, user_id) VALUES (@k, @u)", ("k", $"probe-{a}"), ("u", a));

        (await Actor.Authenticated(a).QueryAsync<string>(db, "SELECT continuation_id FROM conversations")).Should().Equal($"probe-{a}");
        (await Actor.Authenticated(b).QueryAsync<string>(db, "SELECT continuation_id FROM conversations")).Should().BeEmpty();
        var attach = () => Actor.Authenticated(b).ExecuteAsync(db,
            "INSERT INTO messages (conversation_id, user_id, role) SELECT id, @b, 'user' FROM conversations WHERE continuation_id = @k", ("b", b), ("k", $"probe-{a}"));
        (await attach()).Should().Be(0, "B cannot even see A's conversation to attach to it");
        var anon = () => Actor.Anon.QueryAsync<long>(db, "SELECT count(*) FROM conversations");
        (await anon.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
        (await Actor.Service.QueryAsync<string>(db, "SELECT continuation_id FROM conversations")).Should().Equal($"probe-{a}");
    }

    private static async Task AssertRolesAsync(PostgresServer server, SupabaseProject project)
    {
        await using var admin = NpgsqlDataSource.Create(server.ConnectionString);
        (await ScalarAsync<long>(admin, "SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role')")).Should().Be(3);

        // What the library needs of the roles: that the migrating role may act as each of them.
        await using var postgres = NpgsqlDataSource.Create(project.AsPostgres(server.ConnectionString));
        foreach (var role in new[] { "anon", "authenticated", "service_role" })
        {
            (await ScalarAsync<string>(postgres, $"SET ROLE {role}; SELECT current_user::text")).Should().Be(role);
        }
    }

    private static async Task WaitUntilBlockedByAsync(NpgsqlDataSource admin, int blocker, int count, IReadOnlyList<Task> migrations) =>
        await Eventually.TrueAsync(async () =>
        {
            if (migrations.FirstOrDefault(m => m.IsCompleted) is { } finished)
            {
                await finished;
                throw new AssertionException("a migration finished while a rival still held a role it creates");
            }

            return await ScalarAsync<long>(admin, $"SELECT count(*) FROM pg_stat_activity WHERE {blocker} = ANY(pg_blocking_pids(pid))") >= count;
        }, TimeSpan.FromSeconds(60), $"{count} migration(s) waiting for backend {blocker}");

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using System.Security.Cryptography;
using Exai.Supabase.Testing;
using Npgsql;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>
/// Prepares databases of a private server the way Supabase prepares a project's database, so the migrations can be
/// run as Supabase runs them: the API roles; <c>supabase_admin</c> (a superuser) owning the database;
/// <c>supabase_auth_admin</c> owning schema <c>auth</c> and Supabase's <c>auth.uid()</c>, <c>auth.role()</c>,
/// <c>auth.jwt()</c>; the publication <c>supabase_realtime</c> owned by the migrating role; no default grants (as
/// since October 2026); and a login role with the attributes of Supabase's <c>postgres</c> — LOGIN CREATEDB
/// CREATEROLE REPLICATION BYPASSRLS, not SUPERUSER — a member of the API roles, with CREATE on the database and
/// on schema public. (It cannot be called <c>postgres</c> here: that is the private server's own superuser.)
/// </summary>
internal sealed class SupabaseProject
{
    public const string PostgresRole = "supabase_postgres";

    private readonly PostgresServer _server;
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    private SupabaseProject(PostgresServer server) => _server = server;

    public enum Publication
    {
        /// <summary>An empty <c>supabase_realtime</c> owned by the migrating role, as on Supabase.</summary>
        OwnedByPostgres,

        /// <summary><c>FOR ALL TABLES</c> (which only a superuser may own).</summary>
        ForAllTables,

        /// <summary>An empty <c>supabase_realtime</c> owned by another role.</summary>
        OwnedByAnotherRole,

        /// <summary>None at all.</summary>
        Missing,
    }

    /// <summary>Creates the cluster-wide roles of a Supabase project on a server (once per server).</summary>
    public static async Task<SupabaseProject> CreateRolesAsync(PostgresServer server)
    {
        var project = new SupabaseProject(server);
        await using var db = NpgsqlDataSource.Create(server.ConnectionString);
        await ExecuteAsync(db, $"""
            CREATE ROLE supabase_admin NOLOGIN SUPERUSER;
            CREATE ROLE anon NOLOGIN NOINHERIT;
            CREATE ROLE authenticated NOLOGIN NOINHERIT;
            CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
            CREATE ROLE supabase_auth_admin NOLOGIN NOINHERIT CREATEROLE;
            CREATE ROLE {PostgresRole} LOGIN CREATEDB CREATEROLE REPLICATION BYPASSRLS NOSUPERUSER PASSWORD '{project._password}';
            GRANT anon, authenticated, service_role TO {PostgresRole};
            """);
        return project;
    }

    /// <summary>Creates only the migrating login role, on a server where none of the Supabase roles exist yet.</summary>
    public static async Task<SupabaseProject> CreatePostgresRoleOnlyAsync(PostgresServer server)
    {
        var project = new SupabaseProject(server);
        await using var db = NpgsqlDataSource.Create(server.ConnectionString);
        await ExecuteAsync(db, $"CREATE ROLE {PostgresRole} LOGIN CREATEDB CREATEROLE REPLICATION BYPASSRLS NOSUPERUSER PASSWORD '{project._password}';");
        return project;
    }

    /// <summary>A connection string to the same database as the migrating role.</summary>
    public string AsPostgres(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = PostgresRole, Password = _password }.ConnectionString;

    /// <summary>A new database owned by the migrating role, with nothing in it (roles of the server aside).</summary>
    public async Task<string> CreateOwnedDatabaseAsync(string prefix)
    {
        var connectionString = await _server.CreateDatabaseAsync(prefix);
        await using var db = NpgsqlDataSource.Create(_server.ConnectionString);
        await ExecuteAsync(db, $"ALTER DATABASE \"{Name(connectionString)}\" OWNER TO {PostgresRole}");
        return connectionString;
    }

    /// <summary>Prepares a new database as a Supabase project's; returns a superuser connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(
        string prefix,
        Publication publication = Publication.OwnedByPostgres,
        bool defaultGrantsToApiRoles = false,
        bool authUsageForPostgres = true)
    {
        var connectionString = await _server.CreateDatabaseAsync(prefix);
        var name = Name(connectionString);
        await using (var server = NpgsqlDataSource.Create(_server.ConnectionString))
        {
            await ExecuteAsync(server, $"ALTER DATABASE \"{name}\" OWNER TO supabase_admin");
        }

        await using var db = NpgsqlDataSource.Create(connectionString);
        await ExecuteAsync(db, $"""
            GRANT CONNECT, CREATE, TEMPORARY ON DATABASE "{name}" TO {PostgresRole};
            GRANT USAGE, CREATE ON SCHEMA public TO {PostgresRole};
            GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;

            CREATE SCHEMA auth AUTHORIZATION supabase_auth_admin;
            CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
              select coalesce(
                nullif(current_setting('request.jwt.claim.sub', true), ''),
                (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
              )::uuid
            $$;
            CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $$
              select coalesce(
                nullif(current_setting('request.jwt.claim.role', true), ''),
                (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
              )::text
            $$;
            CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $$
              select coalesce(
                nullif(current_setting('request.jwt.claim', true), ''),
                nullif(current_setting('request.jwt.claims', true), '')
              )::jsonb
            $$;
            ALTER FUNCTION auth.uid() OWNER TO supabase_auth_admin;
            ALTER FUNCTION auth.role() OWNER TO supabase_auth_admin;
            ALTER FUNCTION auth.jwt() OWNER TO supabase_auth_admin;
            GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
            """);

        if (authUsageForPostgres)
        {
            await ExecuteAsync(db, $"GRANT USAGE ON SCHEMA auth TO {PostgresRole};");
        }

        await ExecuteAsync(db, publication switch
        {
            Publication.OwnedByPostgres => $"CREATE PUBLICATION supabase_realtime; ALTER PUBLICATION supabase_realtime OWNER TO {PostgresRole};",
            Publication.ForAllTables => "CREATE PUBLICATION supabase_realtime FOR ALL TABLES;",
            Publication.OwnedByAnotherRole => "CREATE PUBLICATION supabase_realtime;",
            _ => "SELECT 1;",
        });

        if (defaultGrantsToApiRoles)
        {
            // What projects made before October 2026 carry: everything new in public granted to every API role.
            await ExecuteAsync(db, $"""
                ALTER DEFAULT PRIVILEGES FOR ROLE {PostgresRole} IN SCHEMA public GRANT ALL ON TABLES TO anon, authenticated, service_role;
                ALTER DEFAULT PRIVILEGES FOR ROLE {PostgresRole} IN SCHEMA public GRANT ALL ON FUNCTIONS TO anon, authenticated, service_role;
                ALTER DEFAULT PRIVILEGES FOR ROLE {PostgresRole} IN SCHEMA public GRANT ALL ON SEQUENCES TO anon, authenticated, service_role;
                """);
        }

        return connectionString;
    }

    /// <summary>Each function of schema auth as (name, oid, owner, hash of its body), to show nothing was replaced.</summary>
    public static async Task<List<string>> AuthFunctionsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT p.proname || ' ' || p.oid || ' ' || pg_get_userbyid(p.proowner) || ' ' || md5(p.prosrc)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'auth' ORDER BY p.proname
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var functions = new List<string>();
        while (await reader.ReadAsync())
        {
            functions.Add(reader.GetString(0));
        }

        return functions;
    }

    private static string Name(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    private static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

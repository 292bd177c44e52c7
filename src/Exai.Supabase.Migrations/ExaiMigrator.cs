using Exai.Supabase.Migrations.Internal;
using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Exai.Supabase.Migrations;

/// <summary>
/// Applies the library's migrations. Safe with many processes at once: they serialise on an advisory lock taken
/// through the direct connection (<c>ConnectionStrings:ExaiDirect</c>), and each applies only what is still pending.
/// </summary>
public sealed partial class ExaiMigrator
{
    // 'EXAI' in ASCII: the advisory lock key every instance of the library agrees on.
    private const long AdvisoryLockKey = 0x45584149;
    private static readonly TimeSpan MigrationCommandTimeout = TimeSpan.FromMinutes(10);

    private readonly ExaiDataSources _dataSources;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    internal ExaiMigrator(ExaiDataSources dataSources, ILoggerFactory? loggerFactory = null)
    {
        _dataSources = dataSources;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<ExaiMigrator>();
    }

    /// <summary>Every migration of this version of the library, oldest first.</summary>
    public static IReadOnlyList<string> AllMigrations
    {
        get
        {
            using var context = CreateOfflineContext();
            return [.. context.Database.GetMigrations()];
        }
    }

    /// <summary>
    /// The SQL of every migration as one idempotent script (each migration guarded by the history table), for
    /// teams that apply schema with the Supabase CLI or psql. Like <see cref="MigrateAsync"/>, it applies all or
    /// nothing: one transaction around every migration. Needs no connection.
    /// </summary>
    /// <returns>The script.</returns>
    public static string GenerateScript()
    {
        using var context = CreateOfflineContext();
        var script = context.GetService<IMigrator>().GenerateScript(
            options: MigrationsSqlGenerationOptions.Idempotent | MigrationsSqlGenerationOptions.NoTransactions);
        return $"START TRANSACTION;\n\n{script}\nCOMMIT;\n";
    }

    /// <summary>The migrations not yet applied to the database.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>Their ids, oldest first.</returns>
    public async Task<IReadOnlyList<string>> GetPendingMigrationsAsync(CancellationToken cancellationToken = default)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            return [.. await context.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)];
        }
    }

    /// <summary>
    /// Applies every pending migration, all of them in one transaction. Refuses (and changes nothing) when schema
    /// <c>public</c> already holds same-named tables the library did not create, or the tables of an EX-AI-MCP-Server
    /// database (adopt those with <see cref="AdoptLegacyAsync(Adoption.AdoptionOptions?, CancellationToken)"/>).
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the lock or the migration.</param>
    /// <returns>The ids of the migrations applied; empty when the schema was already current.</returns>
    /// <exception cref="ExaiSchemaConflictException">Foreign tables carry the library's names.</exception>
    /// <exception cref="NpgsqlException">The database could not be reached or refused a statement.</exception>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default) =>
        WithLockAsync(
            async connection =>
            {
                await SchemaInspector.ThrowOnForeignTablesAsync(connection, cancellationToken).ConfigureAwait(false);
                return await ApplyPendingAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken);

    /// <summary>Applies the pending migrations; the caller holds the advisory lock.</summary>
    private async Task<IReadOnlyList<string>> ApplyPendingAsync(CancellationToken cancellationToken)
    {
        var context = CreateContext();
        await using (context.ConfigureAwait(false))
        {
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            if (pending.Count == 0)
            {
                MigrationsLog.SchemaCurrent(_logger);
                return [];
            }

            MigrationsLog.Applying(_logger, pending.Count, string.Join(", ", pending));
            // One transaction for all of them: left to itself EF commits each migration on its own, and a failure in
            // a later one (grants, policies) would leave the tables of an earlier one without row-level security,
            // open to whatever an older Supabase project's default grants allow.
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // EF probes the history table with a query that fails when it is missing, which would abort the
                // transaction; so it is made first, inside the transaction, and is rolled back with it.
                await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            MigrationsLog.Applied(_logger, pending.Count);
            return pending;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a direct connection holding the advisory lock every instance of the library
    /// agrees on, so migrations and adoption never run twice at once.
    /// </summary>
    private async Task<T> WithLockAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        var lockConnection = await _dataSources.Direct.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (lockConnection.ConfigureAwait(false))
        {
            await ExecuteAsync(lockConnection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(lockConnection).ConfigureAwait(false);
            }
            finally
            {
                if (lockConnection.State == System.Data.ConnectionState.Open)
                {
                    await ExecuteAsync(lockConnection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    private static ExaiDbContext CreateOfflineContext()
    {
        // Script generation needs the provider, not a server: nothing connects.
        var dataSource = new NpgsqlDataSourceBuilder("Host=localhost;Database=exai").Build();
        return new ExaiDbContext(ExaiDbContextConfigurator.Create(dataSource));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        // No command timeout: waiting for another instance's migration is expected to take as long as it takes;
        // the caller's token bounds the wait.
        using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private ExaiDbContext CreateContext()
    {
        var builder = new DbContextOptionsBuilder<ExaiDbContext>();
        ExaiDbContextConfigurator.Configure(builder, _dataSources.Direct);
        // Schema changes on a busy or slow server may take longer than a query's default 30 s.
        builder.UseNpgsql(o => o.CommandTimeout((int)MigrationCommandTimeout.TotalSeconds));
        builder.UseLoggerFactory(_loggerFactory);
        // EF probes the history table by querying it; a missing table on a fresh database is expected, not an
        // error worth a log line. Real failures still surface as exceptions.
        builder.ConfigureWarnings(w => w
            .Log((RelationalEventId.CommandError, LogLevel.Debug))
            // Our transaction spans every pending migration; the advisory lock, not EF's own, keeps instances apart.
            .Ignore(RelationalEventId.MigrationsUserTransactionWarning));
        return new ExaiDbContext(builder.Options);
    }
}

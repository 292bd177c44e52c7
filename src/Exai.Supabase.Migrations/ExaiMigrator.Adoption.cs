using System.Text.RegularExpressions;
using Exai.Supabase.Migrations.Adoption;
using Exai.Supabase.Migrations.Adoption.Internal;
using Exai.Supabase.Migrations.Internal;
using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Exai.Supabase.Migrations;

/// <summary>Adoption of an existing EX-AI-MCP-Server database.</summary>
public sealed partial class ExaiMigrator
{
    /// <summary>
    /// Tells what adopting the database would do, and changes nothing: it reads the catalog, then rehearses the whole
    /// adoption (move, migrations, copies and their checks) in one transaction that it rolls back, so the counts and
    /// findings are the real run's. The rehearsal briefly locks the legacy tables, as the real run does.
    /// </summary>
    /// <param name="cancellationToken">Cancels the wait for the lock or the rehearsal.</param>
    /// <returns>The plan; <see cref="AdoptionPlan.Blockers"/> says why a blocked database cannot be adopted.</returns>
    /// <exception cref="NpgsqlException">The database could not be reached.</exception>
    public Task<AdoptionPlan> PlanAdoptionAsync(CancellationToken cancellationToken = default) =>
        WithLockAsync(
            async connection =>
            {
                var (plan, _) = await PlanUnderLockAsync(connection, rehearse: true, cancellationToken).ConfigureAwait(false);
                return plan;
            },
            cancellationToken);

    /// <summary>
    /// Adopts an EX-AI-MCP-Server database: moves the legacy tables it replaces (and the views over them) untouched
    /// into schema <c>exai_legacy</c>, applies the migrations, and copies every legacy row into the consolidated
    /// tables, each table in its own transaction whose counts are verified before it commits. It rehearses first, so
    /// a database it cannot adopt is left as it was. Running it again is a no-op; after an interruption it resumes.
    /// A database that never was legacy just gets its pending migrations.
    /// </summary>
    /// <param name="options">Whether to drop the backup afterwards; by default it is kept.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock or the step in progress (which rolls back).</param>
    /// <returns>What was done.</returns>
    /// <exception cref="ExaiAdoptionException">Adoption is blocked (nothing was changed) or a step failed its checks (it was rolled back).</exception>
    /// <exception cref="NpgsqlException">The database could not be reached or refused a statement.</exception>
    public Task<AdoptionReport> AdoptLegacyAsync(AdoptionOptions? options = null, CancellationToken cancellationToken = default) =>
        WithLockAsync(
            async connection =>
            {
                options ??= new AdoptionOptions();
                var (plan, facts) = await PlanUnderLockAsync(connection, rehearse: true, cancellationToken).ConfigureAwait(false);
                var runner = new AdoptionRunner(connection, _logger);
                switch (plan.State)
                {
                    case AdoptionState.Blocked:
                        AdoptionLog.Blocked(_logger, string.Join(" ", plan.Blockers));
                        throw new ExaiAdoptionException($"Adoption is blocked and nothing was changed: {string.Join(" ", plan.Blockers)}");

                    case AdoptionState.NotLegacy or AdoptionState.Adopted:
                    {
                        AdoptionLog.NothingToDo(_logger, plan.State);
                        var applied = await ApplyPendingAsync(cancellationToken).ConfigureAwait(false);
                        var dropped = options.DropBackup && plan.State == AdoptionState.Adopted;
                        if (dropped)
                        {
                            await runner.DropBackupAsync(cancellationToken).ConfigureAwait(false);
                        }

                        return new AdoptionReport(plan, applied, [], [], dropped);
                    }

                    default:
                    {
                        var (applied, copied, findings) = await runner.RunAsync(facts, ApplyPendingAsync, cancellationToken).ConfigureAwait(false);
                        if (options.DropBackup)
                        {
                            await runner.DropBackupAsync(cancellationToken).ConfigureAwait(false);
                        }

                        return new AdoptionReport(plan, applied, copied, findings, options.DropBackup);
                    }
                }
            },
            cancellationToken);

    /// <summary>The names of the relations and types the migrations create in <c>public</c>.</summary>
    internal static IReadOnlyList<string> SchemaObjectNames()
    {
        using var context = CreateOfflineContext();
        var model = context.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        var names = new HashSet<string>(StringComparer.Ordinal) { TableNames.MigrationsHistory };
        foreach (var table in model.Tables.Where(t => t.Schema is null or TableNames.Schema))
        {
            names.Add(table.Name);
            if (table.PrimaryKey is { } key)
            {
                names.Add(key.Name);
            }

            names.UnionWith(table.UniqueConstraints.Select(u => u.Name));
            names.UnionWith(table.Indexes.Select(i => i.Name));
        }

        // Constraints added by raw SQL in the migrations (EF's model cannot express a deferrable one).
        foreach (Match match in Regex.Matches(SupabaseSql.ChecklistPositionConstraint(), @"ADD CONSTRAINT (\w+)"))
        {
            names.Add(match.Groups[1].Value);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>The migrations as one script to run inside a caller's transaction (no transaction statements of its own).</summary>
    internal static string GenerateScriptWithoutTransactions()
    {
        using var context = CreateOfflineContext();
        return context.GetService<IMigrator>().GenerateScript(
            options: MigrationsSqlGenerationOptions.Idempotent | MigrationsSqlGenerationOptions.NoTransactions);
    }

    private async Task<(AdoptionPlan Plan, AdoptionFacts Facts)> PlanUnderLockAsync(NpgsqlConnection connection, bool rehearse, CancellationToken cancellationToken)
    {
        var facts = await AdoptionInspector.InspectAsync(connection, null, SchemaObjectNames(), cancellationToken).ConfigureAwait(false);
        var pending = await GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false);
        var state = facts.State;
        var blockers = facts.Blockers.ToList();
        List<AdoptionMove> moves = [];
        List<AdoptionFinding> findings = [];
        if (rehearse && facts.State is AdoptionState.Legacy or AdoptionState.Resumable)
        {
            try
            {
                (moves, findings) = await new AdoptionRunner(connection, _logger)
                    .RehearseAsync(facts, pending.Count > 0 ? GenerateScriptWithoutTransactions() : null, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ExaiAdoptionException or PostgresException && !cancellationToken.IsCancellationRequested)
            {
                state = AdoptionState.Blocked;
                blockers.Add($"The rehearsal of the adoption failed, so nothing would be adopted: {ex.Message}");
            }
        }

        var tables = facts.Legacy.Values
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => new AdoptionTable(t.Name, t.Schema, t.Rows, AdoptionDisposition.Consolidated, AdoptionInspector.TargetOf(t.Name)))
            .Concat(facts.Kept)
            .Concat(facts.Unsupported)
            .ToList();
        var plan = new AdoptionPlan(
            state,
            LegacyNames.BackupSchema,
            tables,
            [.. facts.Views.Select(v => v.Name)],
            [.. facts.IndexRenames.Select(r => $"{r.Index} -> {r.NewName} (on {r.Table})")],
            facts.ForeignKeysIntoBackup,
            pending,
            moves,
            findings,
            blockers);
        return (plan, facts);
    }
}

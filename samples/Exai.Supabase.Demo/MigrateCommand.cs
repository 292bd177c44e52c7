using Exai.Supabase.Migrations;
using Exai.Supabase.Migrations.Adoption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase.Demo;

/// <summary>
/// <c>migrate [--script] [--dry-run] [--adopt-legacy [--drop-legacy-backup]]</c>: applies the migrations and nothing
/// else, failing fast. <c>--adopt-legacy</c> adopts an EX-AI-MCP-Server database first; <c>--dry-run</c> prints the
/// adoption plan (tables found, row counts, what moves where, conflicts) and the pending migrations, and changes
/// nothing.
/// </summary>
internal static class MigrateCommand
{
    private const string Script = "--script";
    private const string DryRun = "--dry-run";
    private const string AdoptLegacy = "--adopt-legacy";
    private const string DropLegacyBackup = "--drop-legacy-backup";

    public static async Task<int> RunAsync(string[] options, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { Script, DryRun, AdoptLegacy, DropLegacyBackup };
        var unknown = options.Where(o => !known.Contains(o)).ToList();
        if (unknown.Count > 0)
        {
            throw new DemoException($"migrate does not know {string.Join(", ", unknown)}; it takes {Script}, {DryRun}, {AdoptLegacy} and {DropLegacyBackup}.");
        }

        if (options.Contains(Script))
        {
            if (options.Length > 1)
            {
                throw new DemoException($"{Script} prints the SQL without connecting; it takes no other option.");
            }

            // No connection: the SQL a team applies with the Supabase CLI or psql.
            Console.Out.Write(ExaiMigrator.GenerateScript());
            return 0;
        }

        if (options.Contains(DropLegacyBackup) && (!options.Contains(AdoptLegacy) || options.Contains(DryRun)))
        {
            throw new DemoException($"{DropLegacyBackup} goes with {AdoptLegacy} (and not with {DryRun}).");
        }

        await using var database = await DemoDatabase.OpenAsync(configuration, Console.Out, cancellationToken);
        await using var services = DemoServices.Build(configuration, database.ConnectionString, migrateAtStart: false);
        var migrator = services.GetRequiredService<ExaiMigrator>();

        if (options.Contains(DryRun))
        {
            Console.Out.WriteLine($"Dry run on {database.Description}: nothing is changed.");
            var plan = await migrator.PlanAdoptionAsync(cancellationToken);
            Console.Out.Write(plan.Describe());
            if (plan.PendingMigrations.Count == 0)
            {
                Console.Out.WriteLine("No migration is pending.");
            }

            if (plan.HasWork && !options.Contains(AdoptLegacy))
            {
                Console.Out.WriteLine($"A plain migrate refuses this database; adopt it with: migrate {AdoptLegacy}");
            }

            return plan.State == AdoptionState.Blocked ? 1 : 0;
        }

        if (options.Contains(AdoptLegacy))
        {
            Console.Out.WriteLine($"Adopting {database.Description} ...");
            var report = await migrator.AdoptLegacyAsync(new AdoptionOptions { DropBackup = options.Contains(DropLegacyBackup) }, cancellationToken);
            Console.Out.Write(report.Describe());
            return 0;
        }

        Console.Out.WriteLine($"Migrating {database.Description} ...");
        var applied = await migrator.MigrateAsync(cancellationToken);
        Console.Out.WriteLine(applied.Count == 0
            ? "The schema is already current; nothing to apply."
            : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}.");
        return 0;
    }
}

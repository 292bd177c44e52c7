using Exai.Supabase.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase.Demo;

/// <summary>
/// <c>migrate [--script] [--dry-run] [--adopt-legacy]</c>: applies the migrations and nothing else, failing fast.
/// </summary>
internal static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] options, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal) { "--script", "--dry-run", "--adopt-legacy" };
        var unknown = options.Where(o => !known.Contains(o)).ToList();
        if (unknown.Count > 0)
        {
            throw new DemoException($"migrate does not know {string.Join(", ", unknown)}; it takes --script, --dry-run and --adopt-legacy.");
        }

        if (options.Contains("--script"))
        {
            // No connection: the SQL a team applies with the Supabase CLI or psql.
            Console.Out.Write(ExaiMigrator.GenerateScript());
            return 0;
        }

        if (options.Contains("--dry-run") || options.Contains("--adopt-legacy"))
        {
            throw new DemoException("legacy adoption (--adopt-legacy, --dry-run) is not available in this version yet.");
        }

        await using var database = await DemoDatabase.OpenAsync(configuration, Console.Out, cancellationToken);
        Console.Out.WriteLine($"Migrating {database.Description} ...");
        await using var services = DemoServices.Build(configuration, database.ConnectionString, migrateAtStart: false);
        var applied = await services.GetRequiredService<ExaiMigrator>().MigrateAsync(cancellationToken);
        Console.Out.WriteLine(applied.Count == 0
            ? "The schema is already current; nothing to apply."
            : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}.");
        return 0;
    }
}

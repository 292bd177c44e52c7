using Exai.Supabase.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase.Demo;

/// <summary>The default verb: walks through every feature built so far, migrating first.</summary>
internal static class WalkthroughCommand
{
    public static async Task<int> RunAsync(string[] options, IConfiguration configuration, CancellationToken cancellationToken)
    {
        if (options.Length > 0)
        {
            throw new DemoException($"the walk-through takes no options (got {string.Join(" ", options)}).");
        }

        await using var database = await DemoDatabase.OpenAsync(configuration, Console.Out, cancellationToken);
        Console.Out.WriteLine($"Using {database.Description}.");
        await using var services = DemoServices.Build(configuration, database.ConnectionString, migrateAtStart: false);
        var applied = await services.GetRequiredService<ExaiMigrator>().MigrateAsync(cancellationToken);
        Console.Out.WriteLine($"1. Migrations: {applied.Count} applied, schema current.");
        return 0;
    }
}

using System.Diagnostics;
using Exai.Supabase.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>Applies the migrations, then starts the first tool-server host, whose start-up check finds nothing to do.</summary>
internal static class MigrateStep
{
    public const string Name = "Migrate";

    public static async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        await using (var services = DemoServices.Build(context.Configuration, context.Database.ConnectionString, migrateAtStart: false))
        {
            var applied = await services.GetRequiredService<ExaiMigrator>().MigrateAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            await context.StartHostAsync(cancellationToken);
            var pending = await context.Get<ExaiMigrator>().GetPendingMigrationsAsync(cancellationToken);
            DemoContext.Check(pending.Count == 0, $"{pending.Count} migration(s) still pending after migrating");
            return $"{applied.Count} migration(s) applied, schema current; a host with start-up migrations started in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms";
        }
    }
}

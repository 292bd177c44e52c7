using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Demo;

/// <summary>The library wired the way an application wires it, with logs on standard error.</summary>
internal static class DemoServices
{
    public static ServiceProvider Build(IConfiguration configuration, string connectionString, bool migrateAtStart)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddExaiSupabase(options => options.ConnectionString = connectionString)
            .AddMigrations(options =>
            {
                options.ApplyAtStartup = migrateAtStart;
                options.FailFast = true;
            });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Demo;

/// <summary>The library wired the way an application wires it, with logs on standard error.</summary>
internal static class DemoServices
{
    public static ServiceProvider Build(IConfiguration configuration, string connectionString, bool migrateAtStart)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        AddLogging(services, configuration);
        services.AddExaiSupabase(options => options.ConnectionString = connectionString)
            .AddMigrations(options =>
            {
                options.ApplyAtStartup = migrateAtStart;
                options.FailFast = true;
            });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>
    /// A host as an MCP tool server builds one: configuration, AddExaiSupabase, start-up migrations. Each host has a
    /// spill folder of its own, as two processes would.
    /// </summary>
    public static IHost BuildHost(IConfiguration configuration, string connectionString, Action<ExaiSupabaseOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        AddLogging(builder.Services, configuration);
        builder.Services.AddExaiSupabase(options =>
        {
            options.ConnectionString = connectionString;
            options.Outbox.SpillDirectory = Path.Combine(Path.GetTempPath(), "exai-demo-spill", Guid.NewGuid().ToString("N")[..8]);
            options.Outbox.MaxBatchAge = TimeSpan.FromMilliseconds(20);
            options.Outbox.RetryDelay = TimeSpan.FromMilliseconds(100);
            options.Outbox.MaxRetryDelay = TimeSpan.FromSeconds(1);
            options.Outbox.SpillAfter = TimeSpan.FromMilliseconds(300);
            configure?.Invoke(options);
        })
            .AddMigrations(options => options.FailFast = true)
            .AddPromptFallbacks(fallbacks => fallbacks.Add(
                Walkthrough.PromptStep.FallbackTool, null, "You are a careful assistant. Answer briefly."));
        return builder.Build();
    }

    private static void AddLogging(IServiceCollection services, IConfiguration configuration) =>
        services.AddLogging(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
}

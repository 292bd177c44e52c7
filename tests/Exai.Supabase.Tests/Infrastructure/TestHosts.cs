using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>Builds hosts the way applications do: configuration, AddExaiSupabase, AddMigrations.</summary>
internal static class TestHosts
{
    public static IHost Build(
        string? connectionString,
        Action<IExaiSupabaseBuilder>? configureLibrary = null,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (connectionString is not null)
        {
            values["ConnectionStrings:Exai"] = connectionString;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        configureServices?.Invoke(builder.Services);
        var library = builder.Services.AddExaiSupabase();
        (configureLibrary ?? (b => b.AddMigrations()))(library);
        return builder.Build();
    }
}

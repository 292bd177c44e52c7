using Exai.Supabase.Testing;
using Microsoft.Extensions.Configuration;

namespace Exai.Supabase.Demo;

/// <summary>
/// The database the demo works on: <c>ConnectionStrings:Exai</c> (environment or appsettings.json) when set,
/// otherwise a throwaway PostgreSQL that is removed when the demo ends.
/// </summary>
internal sealed class DemoDatabase : IAsyncDisposable
{
    private DemoDatabase(string connectionString, PostgresServer? server, string description)
    {
        ConnectionString = connectionString;
        Server = server;
        Description = description;
    }

    public string ConnectionString { get; }

    /// <summary>The throwaway server, when the demo started one (so it may also stop and restart it).</summary>
    public PostgresServer? Server { get; }

    public string Description { get; }

    public static IConfiguration LoadConfiguration() => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .Build();

    public static async Task<DemoDatabase> OpenAsync(IConfiguration configuration, TextWriter log, CancellationToken cancellationToken)
    {
        var configured = configuration.GetConnectionString(ExaiSupabaseOptions.ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new DemoDatabase(configured, null, "the database named by ConnectionStrings:Exai");
        }

        log.WriteLine("No ConnectionStrings:Exai is set; starting a throwaway PostgreSQL ...");
        var server = await PostgresServer.AcquireAsync(new PostgresServerOptions(), cancellationToken);
        try
        {
            var connectionString = await server.CreateDatabaseAsync("exai_demo", cancellationToken);
            return new DemoDatabase(connectionString, server, server.Description);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

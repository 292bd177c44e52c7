// The consumer side of .ci/package-smoke.sh: a console application that knows Exai.Supabase only through the
// packed packages. It makes a database of its own on the server in EXAI_SMOKE_SERVER, starts a host that migrates
// at start-up, records a conversation turn through the public API, stops the host (the outbox drains), then starts a
// second host - whose process holds nothing pending - and reads the turn back from the database. Exit code 0 only
// when the turn is there and no migration is left pending; the database is dropped either way.
using Exai.Supabase.Conversations;
using Exai.Supabase.Migrations;
using Exai.Supabase.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

var server = Environment.GetEnvironmentVariable("EXAI_SMOKE_SERVER");
if (string.IsNullOrWhiteSpace(server))
{
    Console.Error.WriteLine("package smoke: EXAI_SMOKE_SERVER (a connection string to a PostgreSQL server) is not set");
    return 2;
}

var database = $"exai_smoke_{Guid.NewGuid():N}";
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
await using (var admin = NpgsqlDataSource.Create(server))
{
    await using var create = admin.CreateCommand($"CREATE DATABASE \"{database}\"");
    await create.ExecuteNonQueryAsync();
}

try
{
    var continuationId = $"package-smoke-{Guid.NewGuid():N}";
    const string text = "Recorded through the packed Exai.Supabase.";

    using (var host = BuildHost(connectionString))
    {
        await host.StartAsync();   // ApplyAtStartup: the schema is migrated before start-up completes
        var store = host.Services.GetRequiredService<IConversationStore>();
        var thread = await store.GetOrCreateAsync(continuationId);
        store.Append(continuationId, ConversationTurn.User(text));
        await host.Services.GetRequiredService<IExaiOutbox>().FlushAsync();
        await host.StopAsync();
        Console.Error.WriteLine($"package smoke: recorded a turn in thread {thread.Id} (new: {thread.IsNew})");
    }

    using (var host = BuildHost(connectionString))
    {
        await host.StartAsync();
        var pending = await host.Services.GetRequiredService<ExaiMigrator>().GetPendingMigrationsAsync();
        var turns = await host.Services.GetRequiredService<IConversationStore>().GetLastAsync(continuationId, 10);
        await host.StopAsync();

        if (pending.Count != 0)
        {
            Console.Error.WriteLine($"package smoke: FAILED, migrations still pending after start-up: {string.Join(", ", pending)}");
            return 1;
        }

        if (turns is not [{ Content: text, IsPending: false }])
        {
            Console.Error.WriteLine($"package smoke: FAILED, read back {turns.Count} turn(s) instead of the one recorded");
            return 1;
        }
    }

    Console.Error.WriteLine("package smoke: the turn was read back from the database by a fresh host");
    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await using var admin = NpgsqlDataSource.Create(server);
    await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    await drop.ExecuteNonQueryAsync();
}

static IHost BuildHost(string connectionString)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddExaiSupabase(options =>
        {
            options.ConnectionString = connectionString;
            // A spill folder of its own: the machine's shared one may hold another process's records.
            options.Outbox.SpillDirectory = Path.Combine(Path.GetTempPath(), "exai-package-smoke", Guid.NewGuid().ToString("N"));
        })
        .AddMigrations(options => options.FailFast = true);
    return builder.Build();
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Exai.Supabase;
using Exai.Supabase.McpServer.Chat;
using Exai.Supabase.McpServer.Recording;
using Exai.Supabase.McpServer.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

// An MCP server over stdio: standard output carries the protocol and nothing else. The transport writes to the
// process's stdout stream directly, so pointing Console.Out at standard error keeps any stray Console.Write (ours,
// a library's) from corrupting the protocol.
Console.SetOut(Console.Error);

try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = args,
        // MCP clients start servers from a folder of their own choosing: read appsettings.json beside the program.
        ContentRootPath = AppContext.BaseDirectory,
    });

    // No database configured: say so in one line and stop, rather than start a server whose every write would wait
    // for a database that was never named. (An unreachable database is different: the server starts degraded.)
    if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(ExaiSupabaseOptions.ConnectionStringName))
        && string.IsNullOrWhiteSpace(builder.Configuration[$"{ExaiSupabaseOptions.SectionName}:ConnectionString"]))
    {
        await Console.Error.WriteLineAsync(
            $"error: no database configured. Set ConnectionStrings__{ExaiSupabaseOptions.ConnectionStringName} to a PostgreSQL connection string, "
            + "such as Host=127.0.0.1;Port=54322;Database=postgres;Username=postgres;Password=postgres for a local Supabase (supabase start).");
        return 1;
    }

    builder.Logging.ClearProviders();
    builder.Logging.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.ColorBehavior = LoggerColorBehavior.Disabled;
    });
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

    builder.Services.AddOptions<ChatSettings>()
        .Bind(builder.Configuration.GetSection(ChatSettings.SectionName))
        .ValidateOnStart();
    builder.Services.AddSingleton<IValidateOptions<ChatSettings>, ChatSettingsValidator>();
    builder.Services.AddChatClient(sp => ChatModels.Create(sp.GetRequiredService<IOptions<ChatSettings>>().Value));

    // ConnectionStrings:Exai (env ConnectionStrings__Exai) and everything under Exai: (Exai__Files__Providers__kimi__ApiKey, …).
    builder.Services.AddExaiSupabase(builder.Configuration.GetSection(ExaiSupabaseOptions.SectionName))
        .AddMigrations()
        .AddPromptFallbacks(f => f.Add(ChatTools.ToolName, null, ChatPrompts.Fallback));

    builder.Services.AddSingleton<ToolCallRecorder>();

    // Tool arguments and results in snake_case, as EX-AI's tools take them (continuation_id, …).
    var json = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
    builder.Services.AddMcpServer(o => o.ServerInfo = new Implementation { Name = "exai-supabase", Version = "0.1.0" })
        .WithStdioServerTransport()
        .WithRequestFilters(f => f.AddCallToolFilter(ToolCallRecorder.Filter))
        .WithTools<ChatTools>(json)
        .WithTools<PromptTools>(json)
        .WithTools<FileTools>(json)
        .WithTools<IssueTools>(json)
        .WithTools<StatusTools>(json);

    await builder.Build().RunAsync();
    return 0;
}
catch (Exception ex)
{
    // Bad settings, or an unreachable database with Exai:Migrations:FailFast: end with one line (the host has logged
    // the details) and exit code 1. Npgsql's messages never include the password.
    await Console.Error.WriteLineAsync($"error: {ex.Message.ReplaceLineEndings(" ")}");
    return 1;
}

using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Exai.Supabase.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Exai.Supabase.Tests.McpServer;

/// <summary>
/// The MCP server sample (<c>samples/Exai.Supabase.McpServer</c>, built before the tests through a project reference)
/// started the way an MCP client starts it — <c>dotnet Exai.Supabase.McpServer.dll</c> with its settings in the
/// environment — and driven by the SDK's own client over stdio.
/// </summary>
internal sealed class McpServerProcess : IAsyncDisposable
{
    /// <summary>Variables a test run may carry that would change what the server connects to or which model it uses.</summary>
    private static readonly string[] Inherited =
        ["ConnectionStrings__Exai", "ConnectionStrings__ExaiDirect", "EXAI_TEST_POSTGRES", "Exai__Chat__Endpoint", "Exai__Chat__ApiKey", "Exai__Chat__Model"];

    private readonly string _spillRoot;

    private McpServerProcess(McpClient client, string spillRoot, ConcurrentQueue<string> standardError, ClientLog clientLog)
    {
        Client = client;
        _spillRoot = spillRoot;
        StandardError = standardError;
        ClientLog = clientLog;
    }

    public static string AssemblyPath
    {
        get
        {
            var path = typeof(McpServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "McpServerAssembly").Value!;
            return File.Exists(path) ? path : throw new FileNotFoundException($"The MCP server sample is not built at {path}.", path);
        }
    }

    public McpClient Client { get; }

    /// <summary>What the server wrote to standard error (its logs), line by line.</summary>
    public ConcurrentQueue<string> StandardError { get; }

    /// <summary>What the SDK's client logged (it logs every line of standard output that is not a protocol message).</summary>
    public ClientLog ClientLog { get; }

    /// <summary>
    /// The environment the server gets: the connection string (none when null), a spill folder of its own, fast outbox batches,
    /// migrations finished before the server answers, and
    /// whatever <paramref name="settings"/> adds (names as environment variables: <c>Exai__Files__…</c>).
    /// </summary>
    public static Dictionary<string, string?> Environment(string? connectionString, string spillRoot, IDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>();
        foreach (var name in Inherited)
        {
            environment[name] = null;
        }

        environment["ConnectionStrings__Exai"] = connectionString;
        environment["Exai__Outbox__SpillDirectory"] = spillRoot;
        environment["Exai__Outbox__MaxBatchAge"] = "00:00:00.020";
        // The schema before the first call: by default a migration slower than Exai:Migrations:StartupAttemptTimeout
        // (a busy machine) lets the server start degraded, and the first calls would meet missing tables.
        environment["Exai__Migrations__FailFast"] = "true";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return environment;
    }

    public static string NewSpillRoot() => Path.Combine(Path.GetTempPath(), "exai-mcp-tests", Guid.NewGuid().ToString("N")[..12]);

    public static async Task<McpServerProcess> StartAsync(string connectionString, IDictionary<string, string?>? settings = null, string clientName = "exai-tests")
    {
        var spillRoot = NewSpillRoot();
        var standardError = new ConcurrentQueue<string>();
        var clientLog = new ClientLog();
        var transport = new StdioClientTransport(
            new StdioClientTransportOptions
            {
                Name = "exai-mcp-server",
                Command = "dotnet",
                Arguments = [AssemblyPath],
                EnvironmentVariables = Environment(connectionString, spillRoot, settings),
                StandardErrorLines = standardError.Enqueue,
                ShutdownTimeout = TimeSpan.FromSeconds(30),
            },
            clientLog.Factory);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            var client = await McpClient.CreateAsync(
                transport,
                new McpClientOptions { ClientInfo = new Implementation { Name = clientName, Version = "1.0.0" }, InitializationTimeout = TimeSpan.FromMinutes(2) },
                clientLog.Factory,
                deadline.Token);
            return new McpServerProcess(client, spillRoot, standardError, clientLog);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"The MCP server did not start: {ex.Message}{System.Environment.NewLine}stderr:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, standardError)}", ex);
        }
    }

    public Task<CallToolResult> CallAsync(string tool, object? arguments = null) =>
        Client.CallToolAsync(
            tool,
            arguments is null ? null : JsonSerializer.SerializeToElement(arguments).Deserialize<Dictionary<string, object?>>(),
            cancellationToken: new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token).AsTask();

    /// <summary>Calls a tool that must succeed and returns its structured result.</summary>
    public async Task<JsonElement> CallOkAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        result.IsError.Should().NotBe(true, $"{tool} should succeed, but answered: {Text(result)}");
        result.StructuredContent.Should().NotBeNull($"{tool} returns structured content");
        return result.StructuredContent!.Value;
    }

    /// <summary>Calls a tool that must fail and returns its error text.</summary>
    public async Task<string> CallErrorAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        result.IsError.Should().BeTrue($"{tool} should refuse the call, but answered: {Text(result)}");
        return Text(result);
    }

    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    public async ValueTask DisposeAsync()
    {
        // Closing standard input ends the server; the SDK waits for it (ShutdownTimeout) before killing it.
        await Client.DisposeAsync();
        try
        {
            Directory.Delete(_spillRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

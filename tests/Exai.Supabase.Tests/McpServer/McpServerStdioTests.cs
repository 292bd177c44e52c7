using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.McpServer;

/// <summary>
/// The server's process seen from outside: every byte it writes to standard output, its exit when standard input
/// closes, and its start while the database is down.
/// </summary>
public sealed class McpServerStdioTests
{
    [Test]
    public async Task Every_line_on_standard_output_is_a_protocol_message_and_the_server_exits_when_standard_input_closes()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_mcp_stdio", migrate: false);
        var spillRoot = McpServerProcess.NewSpillRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(McpServerProcess.AssemblyPath);
        foreach (var (name, value) in McpServerProcess.Environment(database.ConnectionString, spillRoot))
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            var stdin = process.StandardInput;
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
            await stdin.FlushAsync();
            var lines = new List<string> { await ReadLineAsync(process) };
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"chat","arguments":{"prompt":"hello"}}}""");
            await stdin.WriteLineAsync("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"issue_create","arguments":{"title":"x","severity":"catastrophic"}}}""");
            await stdin.FlushAsync();
            // Requests run concurrently: wait for both answers (closing standard input ends the session, in-flight calls too).
            while (!lines.Any(l => l.Contains("\"id\":2", StringComparison.Ordinal)) || !lines.Any(l => l.Contains("\"id\":3", StringComparison.Ordinal)))
            {
                lines.Add(await ReadLineAsync(process));
            }

            stdin.Close();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            lines.AddRange((await process.StandardOutput.ReadToEndAsync(deadline.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            await process.WaitForExitAsync(deadline.Token);

            process.ExitCode.Should().Be(0, "closing standard input ends the server cleanly; stderr: " + await error);
            foreach (var line in lines)
            {
                using var message = JsonDocument.Parse(line);
                message.RootElement.GetProperty("jsonrpc").GetString().Should().Be("2.0", line);
            }

            lines.Should().Contain(l => l.Contains("echo: hello", StringComparison.Ordinal));
            lines.Should().Contain(l => l.Contains("\"isError\":true", StringComparison.Ordinal) && l.Contains("catastrophic", StringComparison.Ordinal));
            (await error).Should().Contain("Application started", "logs go to standard error");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(spillRoot, recursive: true);
        }
    }

    [Test]
    public async Task The_server_starts_and_keeps_a_thread_while_the_database_is_unreachable()
    {
        var unreachable = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = FreePort(), Database = "exai", Username = "postgres", Password = "unused-secret", Timeout = 2,
        }.ConnectionString;
        await using var server = await McpServerProcess.StartAsync(unreachable, new Dictionary<string, string?>
        {
            ["Exai__Migrations__FailFast"] = "false",
            ["Exai__Migrations__StartupAttemptTimeout"] = "00:00:01",
            ["Exai__Prompts__LoadTimeout"] = "00:00:00.500",
        });

        var first = await server.CallOkAsync("chat", new { prompt = "remember 42" });
        var continuationId = first.GetProperty("continuation_id").GetString()!;
        var second = await server.CallOkAsync("chat", new { prompt = "what number?", continuation_id = continuationId });

        second.GetProperty("answer").GetString().Should().Contain("previous: \"remember 42\"", "the process serves its own pending turns");
        second.GetProperty("prompt_version").GetString().Should().Be("fallback", "the prompt registered in code answers");
        var status = await server.CallOkAsync("server_status");
        status.GetProperty("database_available").GetBoolean().Should().BeFalse();
        status.GetProperty("recorded").GetInt64().Should().BeGreaterThan(0, "the writes wait in the queue");
        server.StandardError.Should().NotContain(l => l.Contains("unused-secret", StringComparison.Ordinal));
    }

    [Test]
    public async Task Without_a_connection_string_the_server_ends_with_one_line_naming_the_setting()
    {
        var spillRoot = McpServerProcess.NewSpillRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(McpServerProcess.AssemblyPath);
        foreach (var (name, value) in McpServerProcess.Environment(connectionString: null, spillRoot))
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);

        process.ExitCode.Should().Be(1);
        (await output).Should().BeEmpty("standard output belongs to the protocol, even when the server cannot start");
        var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle().Which.Should().StartWith("error: no database configured").And.Contain("ConnectionStrings__Exai");
        Directory.Exists(spillRoot).Should().BeFalse("nothing was started");
    }

    private static async Task<string> ReadLineAsync(Process process)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await process.StandardOutput.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("the server closed standard output");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

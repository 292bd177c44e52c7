using System.Diagnostics;
using System.Reflection;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>
/// Runs the built demo (<c>samples/Exai.Supabase.Demo</c>, built before the tests through a project reference) as a
/// process of its own, the way a user or an outside check runs it: <c>dotnet Exai.Supabase.Demo.dll verb …</c>.
/// </summary>
internal static class DemoProcess
{
    /// <summary>Variables a test run may carry that would change what the demo connects to.</summary>
    private static readonly string[] Inherited = ["ConnectionStrings__Exai", "ConnectionStrings__ExaiDirect", "EXAI_TEST_POSTGRES"];

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string[] ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString() => $"exit {ExitCode}; stdout: {StandardOutput}; stderr: {StandardError}";
    }

    public static string AssemblyPath
    {
        get
        {
            var path = typeof(DemoProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "DemoAssembly").Value!;
            return File.Exists(path) ? path : throw new FileNotFoundException($"The demo is not built at {path}.", path);
        }
    }

    /// <summary>Runs the demo with the given arguments; <paramref name="connectionString"/> becomes <c>ConnectionStrings__Exai</c>.</summary>
    public static Task<Result> RunAsync(string? connectionString, params string[] arguments) =>
        RunAsync(connectionString, new Dictionary<string, string>(), arguments);

    /// <summary>Runs the demo with further environment variables (configuration such as <c>Exai__…</c>).</summary>
    public static async Task<Result> RunAsync(string? connectionString, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in Inherited)
        {
            start.Environment.Remove(name);
        }

        if (connectionString is not null)
        {
            start.Environment["ConnectionStrings__Exai"] = connectionString;
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the demo ({string.Join(' ', arguments)}) did not finish within 3 minutes.");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}

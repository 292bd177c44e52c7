using System.Diagnostics;
using Exai.Supabase.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>
/// What the steps share: the database, the local stand-ins for Moonshot's files API and Supabase Storage, and the
/// first tool-server host (started after the migrate step). Names carry a run id so the walk-through can run again on
/// the same database.
/// </summary>
internal sealed class DemoContext(IConfiguration configuration, DemoDatabase database, LocalFileApis fileApis) : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    public IConfiguration Configuration { get; } = configuration;

    public DemoDatabase Database { get; } = database;

    public LocalFileApis FileApis { get; } = fileApis;

    /// <summary>Six hex digits that keep this run's tools, threads and markers apart from earlier runs'.</summary>
    public string RunId { get; } = Guid.NewGuid().ToString("N")[..6];

    /// <summary>The tool server every step uses; the conversation step starts a second one.</summary>
    public IHost Primary => _hosts.Count > 0 ? _hosts[0] : throw new InvalidOperationException("no host has been started");

    public T Get<T>()
        where T : notnull => Primary.Services.GetRequiredService<T>();

    /// <summary>Starts a tool-server host (as a new process would) wired to the database and the stand-ins.</summary>
    public async Task<IHost> StartHostAsync(CancellationToken cancellationToken)
    {
        var host = DemoServices.BuildHost(Configuration, Database.ConnectionString, options =>
        {
            options.Files.Providers["kimi"] = new() { BaseUrl = FileApis.KimiBaseUrl, ApiKey = LocalFileApis.KimiKey };
            options.Files.Storage.SupabaseUrl = FileApis.SupabaseUrl;
            options.Files.Storage.ServiceKey = LocalFileApis.ServiceKey;
            options.Files.Deletion.PollInterval = TimeSpan.FromMilliseconds(100);
        });
        _hosts.Add(host);
        await host.StartAsync(cancellationToken);
        return host;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; a step failure naming <paramref name="what"/> otherwise.</summary>
    public static async Task<TimeSpan> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                throw new StepFailedException($"{what} did not happen within {timeout.TotalSeconds:0.#} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }

        return Stopwatch.GetElapsedTime(started);
    }

    public static void Check(bool condition, string failure)
    {
        if (!condition)
        {
            throw new StepFailedException(failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _hosts[i].StopAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or AggregateException or InvalidOperationException)
            {
                // Every host is stopped and disposed, whatever one of them does; the report is already written.
                await Console.Error.WriteLineAsync($"warning: host {i + 1} did not stop cleanly: {ErrorText.OneLine(ex)}");
            }
            finally
            {
                _hosts[i].Dispose();
            }
        }
    }
}

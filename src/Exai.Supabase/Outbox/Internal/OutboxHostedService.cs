using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// Starts the outbox with the host and, at shutdown, drains until shortly before the host's deadline (its shutdown
/// timeout less <see cref="OutboxOptions.ShutdownMargin"/>), then spills the rest for the next start.
/// </summary>
internal sealed class OutboxHostedService(
    OutboxProcessor processor,
    OutboxMetrics metrics,
    IOptions<ExaiSupabaseOptions> options,
    IServiceProvider services) : IHostedService
{
    // The .NET host's default shutdown timeout.
    private static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = metrics;
        processor.EnsureStarted();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        var drainFor = ShutdownTimeout() - options.Value.Outbox.ShutdownMargin;
        return processor.StopAsync(drainFor > TimeSpan.Zero ? drainFor : TimeSpan.Zero, cancellationToken);
    }

    /// <summary>
    /// The host's <c>HostOptions.ShutdownTimeout</c>. <c>HostOptions</c> lives in the full hosting package, which a
    /// library should not pull in for one setting, so it is read by name when the host registered it.
    /// </summary>
    private TimeSpan ShutdownTimeout()
    {
        var hostOptionsType = Type.GetType("Microsoft.Extensions.Hosting.HostOptions, Microsoft.Extensions.Hosting", throwOnError: false);
        if (hostOptionsType is null)
        {
            return DefaultShutdownTimeout;
        }

        var wrapper = services.GetService(typeof(IOptions<>).MakeGenericType(hostOptionsType));
        var value = wrapper?.GetType().GetProperty(nameof(IOptions<object>.Value))?.GetValue(wrapper);
        return value?.GetType().GetProperty("ShutdownTimeout")?.GetValue(value) is TimeSpan timeout ? timeout : DefaultShutdownTimeout;
    }
}

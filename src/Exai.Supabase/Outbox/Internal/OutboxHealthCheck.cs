using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>Degraded while the oldest unsaved record is older than <see cref="OutboxOptions.DegradedLag"/>.</summary>
internal sealed class OutboxHealthCheck(OutboxProcessor processor, IOptions<ExaiSupabaseOptions> options) : IHealthCheck
{
    public const string Name = "exai-outbox";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statistics = processor.GetStatistics();
        var data = new Dictionary<string, object>
        {
            ["lag_seconds"] = statistics.Lag.TotalSeconds,
            ["queue_depth"] = statistics.QueueDepth,
            ["spill_bytes"] = statistics.SpillBytes,
            ["database_available"] = statistics.DatabaseAvailable,
        };
        var limit = options.Value.Outbox.DegradedLag;
        var result = statistics.Lag > limit
            ? HealthCheckResult.Degraded($"The oldest unsaved record has waited {statistics.Lag.TotalSeconds:0.#} s (limit {limit.TotalSeconds:0.#} s); database available: {statistics.DatabaseAvailable}.", data: data)
            : HealthCheckResult.Healthy($"Lag {statistics.Lag.TotalMilliseconds:0} ms.", data);
        return Task.FromResult(result);
    }
}

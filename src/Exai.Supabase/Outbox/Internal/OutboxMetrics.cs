using System.Diagnostics.Metrics;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// The outbox's instruments on meter <c>Exai.Supabase</c>. All are observable: they read the processor's counters
/// when a listener collects, so recording pays nothing for them.
/// </summary>
internal sealed class OutboxMetrics : IDisposable
{
    public const string MeterName = "Exai.Supabase";

    private readonly Meter _meter;

    /// <summary>This instance's meter (every outbox in the process publishes under <see cref="MeterName"/>).</summary>
    internal Meter Meter => _meter;

    public OutboxMetrics(OutboxProcessor processor, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        var counters = processor.Counters;
        _meter.CreateObservableCounter("exai.outbox.recorded", () => counters.Recorded, "{record}", "Records accepted by the outbox.");
        _meter.CreateObservableCounter("exai.outbox.persisted", () => counters.Persisted, "{record}", "Records written to the database.");
        _meter.CreateObservableCounter("exai.outbox.retried", () => counters.Retries, "{batch}", "Batches retried after a transient failure.");
        _meter.CreateObservableCounter("exai.outbox.spilled", () => counters.SpilledCount, "{record}", "Records written to spill segments.");
        _meter.CreateObservableCounter("exai.outbox.replayed", () => counters.ReplayedCount, "{record}", "Records read back from spill segments.");
        _meter.CreateObservableCounter("exai.outbox.dead_lettered", () => counters.DeadLettered, "{record}", "Records refused by PostgreSQL and kept in outbox_dead_letters.");
        _meter.CreateObservableCounter(
            "exai.outbox.dropped",
            () => counters.DroppedByReason().Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("reason", p.Key))),
            "{record}",
            "Records dropped, by reason.");
        _meter.CreateObservableUpDownCounter("exai.outbox.queue.depth", () => processor.GetStatistics().QueueDepth, "{record}", "Records waiting in memory.");
        _meter.CreateObservableUpDownCounter("exai.outbox.queue.bytes", () => processor.GetStatistics().QueueBytes, "By", "Estimated bytes waiting in memory.");
        _meter.CreateObservableUpDownCounter("exai.outbox.spill.bytes", () => processor.GetStatistics().SpillBytes, "By", "Bytes of spill segments on disk.");
        _meter.CreateObservableGauge("exai.outbox.lag", () => processor.Lag().TotalSeconds, "s", "Age of the oldest record not yet saved.");
    }

    public void Dispose() => _meter.Dispose();
}

using System.ComponentModel.DataAnnotations;

namespace Exai.Supabase.Realtime;

/// <summary>
/// Timings and limits of the change feed (<see cref="IChangeFeed"/>). Bound from <c>Exai:Realtime</c>.
/// </summary>
public sealed class RealtimeOptions
{
    /// <summary>
    /// How often the acknowledged position is sent to the server (a permanent slot resumes from the last one it
    /// received; <see cref="ChangeFeedSubscription.AcknowledgeAsync"/> sends at once).
    /// </summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan StatusInterval { get; set; } = RealtimeDefaults.StatusInterval;

    /// <summary>The first wait before reconnecting after the connection dropped; it doubles (jittered) up to <see cref="MaxReconnectDelay"/>.</summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan ReconnectDelay { get; set; } = RealtimeDefaults.ReconnectDelay;

    /// <summary>The longest wait between reconnection attempts. Reconnecting never gives up while the subscriber enumerates.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxReconnectDelay { get; set; } = RealtimeDefaults.MaxReconnectDelay;

    /// <summary>
    /// How long the server may stay silent (no data, no keepalive) before the connection is taken as dead and
    /// re-established.
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan ServerTimeout { get; set; } = RealtimeDefaults.ServerTimeout;

    /// <summary>
    /// Write-ahead log kept on the server for one slot above which a warning is logged: a permanent slot nobody
    /// reads keeps WAL forever and can fill the server's disk. Checked when a stream connects, every
    /// <see cref="SlotCheckInterval"/> while one with a permanent slot runs, and by <see cref="IChangeFeed.GetSlotsAsync"/>.
    /// </summary>
    /// <value>The default value is 512 MiB.</value>
    [Range(1L, long.MaxValue)]
    public long RetainedWalWarningBytes { get; set; } = RealtimeDefaults.RetainedWalWarningBytes;

    /// <summary>How often a stream with a permanent slot checks the retained WAL of this database's slots.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan SlotCheckInterval { get; set; } = RealtimeDefaults.SlotCheckInterval;

    /// <summary>The prefix of temporary slot names (followed by a random suffix), so they are recognisable in <c>pg_replication_slots</c>.</summary>
    /// <value>The default value is <c>exai_</c>.</value>
    public string SlotNamePrefix { get; set; } = RealtimeDefaults.SlotNamePrefix;
}

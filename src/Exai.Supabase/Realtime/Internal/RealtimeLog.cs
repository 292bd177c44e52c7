using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>Log messages of the change feed (event ids 7000–7099). They never carry row values or connection strings.</summary>
internal static partial class RealtimeLog
{
    [LoggerMessage(7000, LogLevel.Information, "Change feed streaming {Tables} through {SlotKind} slot {Slot}.")]
    public static partial void Streaming(ILogger logger, string tables, string slotKind, string slot);

    [LoggerMessage(7001, LogLevel.Warning, "Change feed connection on slot {Slot} lost ({Reason}); reconnecting in {Delay}.")]
    public static partial void Disconnected(ILogger logger, string slot, string reason, TimeSpan delay);

    [LoggerMessage(7002, LogLevel.Information, "Change feed reconnected on slot {Slot} after {Outage}.")]
    public static partial void Reconnected(ILogger logger, string slot, TimeSpan outage);

    [LoggerMessage(7003, LogLevel.Warning, "Change feed reconnected on a new temporary slot {Slot}: changes committed during the last {Outage} are not delivered (a Gap event was sent). Use a permanent slot to resume instead.")]
    public static partial void GapAfterReconnect(ILogger logger, string slot, TimeSpan outage);

    [LoggerMessage(7004, LogLevel.Warning, "Replication slot {Slot} keeps {RetainedBytes} bytes of write-ahead log on the server (warning threshold {ThresholdBytes}; active: {Active}). A slot nobody reads keeps WAL until the disk fills: drop an abandoned one with IChangeFeed.DropSlotAsync(\"{Slot}\").")]
    public static partial void RetainedWal(ILogger logger, string slot, long retainedBytes, long thresholdBytes, bool active);

    [LoggerMessage(7005, LogLevel.Information, "Created permanent replication slot {Slot}.")]
    public static partial void SlotCreated(ILogger logger, string slot);

    [LoggerMessage(7006, LogLevel.Information, "Dropped replication slot {Slot}.")]
    public static partial void SlotDropped(ILogger logger, string slot);

    [LoggerMessage(7007, LogLevel.Information, "Publication supabase_realtime does not exist yet (migrations pending?); the change feed waits {Delay} and tries again.")]
    public static partial void PublicationMissing(ILogger logger, TimeSpan delay);

    [LoggerMessage(7008, LogLevel.Error, "Change feed on slot {Slot} stopped: {Reason}.")]
    public static partial void Failed(ILogger logger, string slot, string reason);

    [LoggerMessage(7009, LogLevel.Debug, "Change feed on slot {Slot} ended; {Delivered} event(s) delivered, acknowledged through {Acknowledged}.")]
    public static partial void Ended(ILogger logger, string slot, long delivered, string acknowledged);

    [LoggerMessage(7010, LogLevel.Debug, "Checking replication slots failed: {Reason}.")]
    public static partial void SlotCheckFailed(ILogger logger, string reason);

    [LoggerMessage(7011, LogLevel.Debug, "Sending the final status update for slot {Slot} failed: {Reason}.")]
    public static partial void FinalStatusFailed(ILogger logger, string slot, string reason);
}

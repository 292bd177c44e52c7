using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>Log messages of the outbox (event ids 2000–2099). They never carry a record's payload.</summary>
internal static partial class OutboxLog
{
    [LoggerMessage(2000, LogLevel.Information, "Outbox started; spill folder {Folder}.")]
    public static partial void Started(ILogger logger, string folder);

    [LoggerMessage(2001, LogLevel.Warning, "Outbox started without a spill folder: records in memory are lost if the process dies during an outage.")]
    public static partial void NoSpill(ILogger logger);

    [LoggerMessage(2002, LogLevel.Warning, "The database is unreachable ({Reason}); {Count} record(s) wait, next attempt in {Delay}.")]
    public static partial void Unreachable(ILogger logger, string reason, int count, TimeSpan delay);

    [LoggerMessage(2003, LogLevel.Information, "The database answers again after {Outage}; writing resumes.")]
    public static partial void Recovered(ILogger logger, TimeSpan outage);

    [LoggerMessage(2004, LogLevel.Warning, "A {Kind} record ({Id}) was refused ({SqlState}: {Reason}) and kept in outbox_dead_letters.")]
    public static partial void DeadLettered(ILogger logger, string kind, Guid id, string? sqlState, string reason);

    [LoggerMessage(2005, LogLevel.Error, "A {Kind} record ({Id}) was refused and could not be dead-lettered ({Reason}); it is dropped.")]
    public static partial void DeadLetterFailed(ILogger logger, string kind, Guid id, string reason);

    [LoggerMessage(2006, LogLevel.Warning, "The outbox is full (memory and spill); records are being dropped (mode {Mode}).")]
    public static partial void Full(ILogger logger, OutboxFullMode mode);

    [LoggerMessage(2007, LogLevel.Information, "Adopted {Count} spill segment(s) left by a process that exited, into {Folder}.")]
    public static partial void AdoptedSegments(ILogger logger, int count, string folder);

    [LoggerMessage(2008, LogLevel.Warning, "Spill segment {Segment} ends in a torn record (the writer died mid-write); it is skipped and counted.")]
    public static partial void SpillTorn(ILogger logger, string segment);

    [LoggerMessage(2009, LogLevel.Error, "Spill segment {Segment} has a corrupt record at byte {Position}; it is skipped and counted.")]
    public static partial void SpillCorrupt(ILogger logger, string segment, long position);

    [LoggerMessage(2010, LogLevel.Error, "Spill segment {Segment} is not a spill segment; it is skipped.")]
    public static partial void SpillUnreadable(ILogger logger, string segment);

    [LoggerMessage(2011, LogLevel.Warning, "Could not delete the finished spill segment {Segment}: {Reason}.")]
    public static partial void SpillDeleteFailed(ILogger logger, string segment, string reason);

    [LoggerMessage(2012, LogLevel.Information, "Outbox stopping: {Pending} record(s) left after draining; {Spilled} spilled for the next start.")]
    public static partial void Stopped(ILogger logger, int pending, int spilled);

    [LoggerMessage(2013, LogLevel.Error, "Writing a batch failed with an error that is neither an outage nor a bad row ({Reason}); holding it and retrying in {Delay}.")]
    public static partial void Unexpected(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(2014, LogLevel.Information, "The schema is not in place yet ({Reason}); queued records are held until it is.")]
    public static partial void SchemaNotReady(ILogger logger, string reason);

    [LoggerMessage(2015, LogLevel.Error, "The outbox's background loop failed; it restarts.")]
    public static partial void LoopFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>Log messages of conversations (event ids 3000–3099). They never carry a turn's content.</summary>
internal static partial class ConversationsLog
{
    [LoggerMessage(3000, LogLevel.Warning, "The database is unreachable for reads ({Reason}); threads are served from this process's cache and pending turns until it answers.")]
    public static partial void ServingLocalView(ILogger logger, string reason);

    [LoggerMessage(3001, LogLevel.Information, "The database answers reads again; threads are read from it.")]
    public static partial void DatabaseBack(ILogger logger);

    [LoggerMessage(3002, LogLevel.Warning, "The read-your-writes view is full ({MaxMessages} turns / {MaxBytes} bytes); further turns land as usual but this process reads them only once they have.")]
    public static partial void PendingCapReached(ILogger logger, int maxMessages, long maxBytes);

    [LoggerMessage(3003, LogLevel.Information, "Clean-up deleted {Count} expired thread(s).")]
    public static partial void CleanedUp(ILogger logger, int count);

    [LoggerMessage(3004, LogLevel.Warning, "Clean-up of expired threads failed ({Reason}); it runs again in {Interval}.")]
    public static partial void CleanupFailed(ILogger logger, string reason, TimeSpan interval);

    [LoggerMessage(3005, LogLevel.Debug, "A read of a thread could not be served: the database is unreachable and this process holds nothing of it.")]
    public static partial void NothingToServe(ILogger logger);
}

using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Issues.Internal;

/// <summary>The issue tracker's log messages (event ids 6000–6099). Ids and statuses only: never titles or bodies.</summary>
internal static partial class IssuesLog
{
    [LoggerMessage(EventId = 6000, Level = LogLevel.Debug, Message = "Issue {IssueId} recorded; it lands through the outbox.")]
    public static partial void Recorded(ILogger logger, Guid issueId);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Issue {IssueId} moved from {From} to {To}.")]
    public static partial void StatusChanged(ILogger logger, Guid issueId, string from, string to);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Debug, Message = "Issue {IssueId} may not move from {From} to {To}; nothing changed.")]
    public static partial void TransitionRefused(ILogger logger, Guid issueId, string from, string to);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "Issue {IssueId} was created here and is still in the outbox; flushing before changing it.")]
    public static partial void WaitingForOutbox(ILogger logger, Guid issueId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning,
        Message = "{Count} new issues are waiting in the outbox; issues created from now on are not readable here until they are saved.")]
    public static partial void PendingViewFull(ILogger logger, int count);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Debug, Message = "Checklist of issue {IssueId}: {Action}.")]
    public static partial void ChecklistChanged(ILogger logger, Guid issueId, string action);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Debug, Message = "Issue {IssueId}: fields changed: {Fields}.")]
    public static partial void FieldsChanged(ILogger logger, Guid issueId, string fields);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Debug, Message = "Issue {IssueId} read from this process's pending writes ({Reason}).")]
    public static partial void ServedPending(ILogger logger, Guid issueId, string reason);
}

using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>Log messages of the prompt store (event ids 4000–4099). They never carry a prompt's text.</summary>
internal static partial class PromptsLog
{
    [LoggerMessage(4000, LogLevel.Information, "Prompt cache loaded: {Count} active version(s), {Fetched} fetched in full, in {ElapsedMs:0.0} ms.")]
    public static partial void Loaded(ILogger logger, int count, int fetched, double elapsedMs);

    [LoggerMessage(4001, LogLevel.Warning, "The prompt cache cannot reach the database ({Reason}); lookups are served from the last values seen and the code fallbacks. Next attempt in {Delay}.")]
    public static partial void RefreshFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(4002, LogLevel.Information, "The prompt cache reaches the database again after {Outage}.")]
    public static partial void Recovered(ILogger logger, TimeSpan outage);

    [LoggerMessage(4003, LogLevel.Information, "Listening for prompt changes on channel {Channel}.")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(4004, LogLevel.Warning, "The prompt change listener lost its connection ({Reason}); reconnecting in {Delay}, then refreshing every prompt.")]
    public static partial void ListenerDisconnected(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(4005, LogLevel.Debug, "Prompt change notified for {Tool}/{Provider}.")]
    public static partial void ChangeNotified(ILogger logger, string tool, string provider);

    [LoggerMessage(4006, LogLevel.Warning, "A prompt change notification could not be read; refreshing every prompt.")]
    public static partial void UnreadableNotification(ILogger logger);

    [LoggerMessage(4007, LogLevel.Information, "Prompt {Tool}/{Provider}: {Action} {ToVersion} (was {FromVersion}) by {ChangedBy}.")]
    public static partial void Changed(ILogger logger, string tool, string provider, PromptChange action, string? toVersion, string? fromVersion, string? changedBy);

    [LoggerMessage(4008, LogLevel.Information, "Prompt {Tool}/{Provider}: stored version {Version}.")]
    public static partial void Stored(ILogger logger, string tool, string provider, string version);

    [LoggerMessage(4009, LogLevel.Information, "Prompt import: {Summary}.")]
    public static partial void Imported(ILogger logger, string summary);

    [LoggerMessage(4010, LogLevel.Warning, "A prompt lookup for {Tool}/{Provider} could not reach the database ({Reason}); answering down the fallback chain.")]
    public static partial void LookupFellBack(ILogger logger, string tool, string provider, string reason);

    [LoggerMessage(4011, LogLevel.Warning, "A {Operation} of prompt {Tool}/{Provider} met a conflict ({SqlState}); attempt {Attempt} retries.")]
    public static partial void Retrying(ILogger logger, string operation, string tool, string provider, string? sqlState, int attempt);

    [LoggerMessage(4012, LogLevel.Warning, "This instance's prompt cache did not confirm the change of tool {Tool} within {Timeout}; the change notification or the safety refresh will bring it.")]
    public static partial void LocalRefreshLate(ILogger logger, string tool, TimeSpan timeout);

    [LoggerMessage(4013, LogLevel.Error, "The prompt cache's refresh failed unexpectedly; it retries in {Delay}.")]
    public static partial void RefreshError(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(4014, LogLevel.Warning, "The change feed for prompt changes failed ({Reason}); retrying in {Delay}, the safety refresh keeps the cache current meanwhile.")]
    public static partial void ChangeFeedFailed(ILogger logger, string reason, TimeSpan delay);
}

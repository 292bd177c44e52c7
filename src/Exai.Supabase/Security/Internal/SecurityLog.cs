using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Security.Internal;

/// <summary>Log messages of the security feature (event ids 8000–8099). Tokens and secrets are never logged.</summary>
internal static partial class SecurityLog
{
    [LoggerMessage(8000, LogLevel.Information, "Fetched {Count} signing key(s) from {Address}.")]
    public static partial void KeysFetched(ILogger logger, int count, Uri address);

    [LoggerMessage(8001, LogLevel.Warning, "Could not refresh the signing keys from {Address} ({Reason}); the last keys fetched stay in use.")]
    public static partial void KeysStale(ILogger logger, Uri address, string reason);

    [LoggerMessage(8002, LogLevel.Debug, "An access token was refused: {Failure}.")]
    public static partial void TokenRefused(ILogger logger, SupabaseTokenFailure failure);

    [LoggerMessage(8003, LogLevel.Information, "Erasing user {UserId}: flushing the outbox first.")]
    public static partial void ErasureStarted(ILogger logger, Guid userId);

    [LoggerMessage(8004, LogLevel.Warning, "Erased user {UserId}: {Rows} row(s) deleted ({Detail}); {Files} file(s) queued for deletion, {Retried} failed deletion job(s) retried, {Pending} file(s) pending.")]
    public static partial void UserErased(ILogger logger, Guid userId, long rows, string detail, int files, long retried, long pending);
}

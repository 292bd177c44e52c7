using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Files.Internal;

/// <summary>Log messages of the files feature (event ids 5000–5099). They never carry an API key or file content.</summary>
internal static partial class FilesLog
{
    [LoggerMessage(5000, LogLevel.Debug, "File {FileId} uploaded to {Provider} as {ProviderFileId} ({Bytes} bytes, shared upload: {Shared}).")]
    public static partial void Uploaded(ILogger logger, Guid fileId, string provider, string providerFileId, long bytes, bool shared);

    [LoggerMessage(5001, LogLevel.Debug, "File {FileId} reuses {Provider} file {ProviderFileId} (same content); nothing uploaded.")]
    public static partial void Reused(ILogger logger, Guid fileId, string provider, string providerFileId);

    [LoggerMessage(5002, LogLevel.Debug, "Deletion of file {FileId} queued as job {JobId}.")]
    public static partial void DeletionQueued(ILogger logger, Guid? fileId, Guid jobId);

    [LoggerMessage(5003, LogLevel.Warning, "Could not check that file {FileId} exists ({Reason}); its deletion is queued anyway and waits for the file's row.")]
    public static partial void DeleteWithoutCheck(ILogger logger, Guid fileId, string reason);

    [LoggerMessage(5004, LogLevel.Information, "{Request}: attempt {Attempt} failed ({Reason}); retrying in {Delay}.")]
    public static partial void Retrying(ILogger logger, string request, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(5005, LogLevel.Information, "Orphan scan of {Provider}: {Listed} provider file(s), {Records} record(s); {Unknown} unknown to the database, {Missing} gone from the provider (clean-up: {CleanUp}).")]
    public static partial void OrphanScan(ILogger logger, string provider, int listed, int records, int unknown, int missing, bool cleanUp);

    [LoggerMessage(5010, LogLevel.Information, "Deletion job {JobId} (file {FileId}) completed on attempt {Attempt}.")]
    public static partial void JobCompleted(ILogger logger, Guid jobId, Guid? fileId, int attempt);

    [LoggerMessage(5011, LogLevel.Warning, "Deletion job {JobId} (file {FileId}) failed on attempt {Attempt} ({Error}); next attempt in {Delay}.")]
    public static partial void JobRetry(ILogger logger, Guid jobId, Guid? fileId, int attempt, string error, TimeSpan delay);

    [LoggerMessage(5012, LogLevel.Error, "Deletion job {JobId} (file {FileId}) gave up after {Attempt} attempts: {Error}.")]
    public static partial void JobFailed(ILogger logger, Guid jobId, Guid? fileId, int attempt, string error);

    [LoggerMessage(5013, LogLevel.Information, "Deletion job {JobId}: file {FileId} was registered again after its deletion was asked for; nothing deleted.")]
    public static partial void JobSuperseded(ILogger logger, Guid jobId, Guid? fileId);

    [LoggerMessage(5014, LogLevel.Debug, "Deletion job {JobId}: {Provider} file {ProviderFileId} stays, {References} other file(s) still use it.")]
    public static partial void ProviderFileKept(ILogger logger, Guid jobId, string provider, string providerFileId, int references);

    [LoggerMessage(5015, LogLevel.Warning, "The deletion worker could not reach the database ({Reason}); it tries again in {Delay}.")]
    public static partial void WorkerUnavailable(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(5016, LogLevel.Error, "The deletion worker's loop failed; it goes on after {Delay}.")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(5017, LogLevel.Warning, "Deletion job {JobId} was taken over by another worker while this one ({Worker}) worked it; its outcome is left to that worker.")]
    public static partial void JobTakenOver(ILogger logger, Guid jobId, string worker);
}

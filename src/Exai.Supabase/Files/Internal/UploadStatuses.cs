namespace Exai.Supabase.Files.Internal;

/// <summary>The database spelling of statuses and file types, and the SQL that ranks upload statuses.</summary>
internal static class UploadStatuses
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Deleted = "deleted";

    public static string ToDb(ProviderUploadStatus status) => status switch
    {
        ProviderUploadStatus.Pending => Pending,
        ProviderUploadStatus.Completed => Completed,
        ProviderUploadStatus.Failed => Failed,
        ProviderUploadStatus.Deleted => Deleted,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown upload status."),
    };

    public static ProviderUploadStatus FromDb(string status) => status switch
    {
        Pending => ProviderUploadStatus.Pending,
        Completed => ProviderUploadStatus.Completed,
        Failed => ProviderUploadStatus.Failed,
        _ => ProviderUploadStatus.Deleted,
    };

    public static int Rank(ProviderUploadStatus status) => status switch
    {
        ProviderUploadStatus.Pending => 0,
        ProviderUploadStatus.Deleted => 2,
        _ => 1,
    };

    /// <summary>A status only moves forward: pending (0) → completed or failed (1) → deleted (2).</summary>
    public static string RankSql(string column) =>
        $"(CASE {column} WHEN '{Pending}' THEN 0 WHEN '{Deleted}' THEN 2 ELSE 1 END)";

    public static string FileTypeToDb(StoredFileType type) => type switch
    {
        StoredFileType.UserUpload => "user_upload",
        StoredFileType.Generated => "generated",
        StoredFileType.Cache => "cache",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown file type."),
    };

    public static StoredFileType FileTypeFromDb(string type) => type switch
    {
        "generated" => StoredFileType.Generated,
        "cache" => StoredFileType.Cache,
        _ => StoredFileType.UserUpload,
    };

    public static FileDeletionStatus JobStatusFromDb(string status) => status switch
    {
        "running" => FileDeletionStatus.Running,
        "completed" => FileDeletionStatus.Completed,
        "failed" => FileDeletionStatus.Failed,
        _ => FileDeletionStatus.Pending,
    };
}

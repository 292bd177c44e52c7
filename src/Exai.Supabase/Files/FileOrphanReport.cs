namespace Exai.Supabase.Files;

/// <summary>What <see cref="IFileSync.FindOrphansAsync"/> found when it compared a provider's files with the records.</summary>
/// <param name="Provider">The provider scanned.</param>
/// <param name="ProviderFileCount">How many files the provider listed (every page).</param>
/// <param name="RecordCount">How many live upload records the database holds for the provider.</param>
/// <param name="UnknownProviderFiles">Files at the provider that no record refers to (older than the grace period).</param>
/// <param name="MissingProviderFiles">Records whose provider file is gone (older than the grace period).</param>
/// <param name="CleanedUp">Whether clean-up was asked for: deletions queued for the unknown files, the records marked deleted.</param>
/// <param name="DeletionJobIds">The ids of the deletion jobs queued by the clean-up.</param>
public sealed record FileOrphanReport(
    string Provider,
    int ProviderFileCount,
    int RecordCount,
    IReadOnlyList<ProviderFile> UnknownProviderFiles,
    IReadOnlyList<ProviderUpload> MissingProviderFiles,
    bool CleanedUp,
    IReadOnlyList<Guid> DeletionJobIds);

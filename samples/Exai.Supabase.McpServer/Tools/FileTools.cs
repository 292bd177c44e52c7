using System.ComponentModel;
using Exai.Supabase.Conversations;
using Exai.Supabase.Files;
using ModelContextProtocol.Server;

namespace Exai.Supabase.McpServer.Tools;

/// <summary>
/// <c>file_register</c>, <c>file_list</c>, <c>file_orphans</c>: file records kept in step with the providers' file
/// stores, through <see cref="IFileSync"/>, and the files a conversation refers to.
/// </summary>
[McpServerToolType]
internal sealed class FileTools(IFileSync files, IConversationStore conversations)
{
    [McpServerTool(Name = "file_register", Title = "Register a file", Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Records a file that is already in storage (its id follows from bucket and path, so registering it again "
        + "changes nothing) and, optionally, its copy at a provider. Pass the id to chat's file_ids to link it to a conversation.")]
    public FileAnswer Register(
        [Description("The object's path in the bucket, such as user-42/report.pdf (relative, '/'-separated, no '..').")] string storage_path,
        [Description("The bucket: user-files (the default) or generated-files, or one configured under Exai:Files:Buckets.")] string? bucket = null,
        [Description("The file's original name.")] string? original_name = null,
        [Description("Its MIME type, such as application/pdf.")] string? mime_type = null,
        [Description("Its size in bytes.")] long? size_bytes = null,
        [Description("The SHA-256 of its content, 64 lower-case hex digits.")] string? sha256 = null,
        [Description("A provider (configured under Exai:Files:Providers) that already holds a copy.")] string? provider = null,
        [Description("The provider's id of that copy.")] string? provider_file_id = null,
        [Description("The copy's purpose at the provider, such as file-extract.")] string? purpose = null)
    {
        if (provider is not null && (provider_file_id is null || purpose is null))
        {
            throw new ArgumentException("provider needs provider_file_id and purpose too: they name the provider's copy of the file.", nameof(provider_file_id));
        }

        var file = files.Register(new FileRegistration
        {
            StoragePath = storage_path,
            Bucket = bucket ?? FilesDefaults.UserFilesBucket,
            OriginalName = original_name,
            MimeType = mime_type,
            SizeBytes = size_bytes,
            Sha256 = sha256,
        });
        var upload = provider is null ? null : files.RecordUpload(file.Id, provider, provider_file_id!, purpose!);
        return FileAnswer.From(file, upload is null ? [] : [upload]);
    }

    [McpServerTool(Name = "file_list", Title = "Files of a conversation", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists the files a conversation refers to, in the order they were linked, with their copies at providers.")]
    public async Task<FileList> ListAsync(
        [Description("The conversation's continuation_id.")] string continuation_id,
        CancellationToken cancellationToken = default)
    {
        var links = await conversations.GetFilesAsync(continuation_id, cancellationToken);
        var entries = new List<FileListEntry>(links.Count);
        foreach (var link in links)
        {
            var file = await files.GetFileAsync(link.FileId, cancellationToken);
            var uploads = file is null ? [] : await files.GetUploadsAsync(file.Id, cancellationToken);
            entries.Add(new FileListEntry(link.FileId, link.LinkedAt, link.IsPending, file is null ? null : FileAnswer.From(file, uploads)));
        }

        return new FileList(continuation_id, entries);
    }

    [McpServerTool(Name = "file_orphans", Title = "Find orphaned provider files", Destructive = true, OpenWorld = true, UseStructuredContent = true)]
    [Description("Compares a provider's file listing with the records, both ways: files at the provider no record refers to, "
        + "and records whose provider file is gone (anything younger than the grace period is left out). With clean_up, "
        + "deletions of the unknown files are queued and the records of missing ones marked deleted.")]
    public async Task<OrphanReport> OrphansAsync(
        [Description("A provider configured under Exai:Files:Providers, such as kimi or glm.")] string provider,
        [Description("Whether to clean up what was found.")] bool clean_up = false,
        CancellationToken cancellationToken = default)
    {
        var report = await files.FindOrphansAsync(provider, clean_up, cancellationToken);
        return new OrphanReport(
            report.Provider,
            report.ProviderFileCount,
            report.RecordCount,
            report.UnknownProviderFiles.Select(f => new OrphanProviderFile(f.Id, f.Filename, f.Purpose, f.Bytes, f.CreatedAt)).ToList(),
            report.MissingProviderFiles.Select(UploadEntry.From).ToList(),
            report.CleanedUp,
            report.DeletionJobIds);
    }

    /// <summary>A file record.</summary>
    /// <param name="FileId">The file's id.</param>
    /// <param name="Bucket">Its bucket.</param>
    /// <param name="StoragePath">Its path in the bucket.</param>
    /// <param name="OriginalName">Its original name.</param>
    /// <param name="MimeType">Its MIME type.</param>
    /// <param name="SizeBytes">Its size.</param>
    /// <param name="Sha256">Its content's SHA-256.</param>
    /// <param name="Uploads">Its copies at providers.</param>
    internal sealed record FileAnswer(
        Guid FileId, string Bucket, string StoragePath, string? OriginalName, string? MimeType, long? SizeBytes, string? Sha256,
        IReadOnlyList<UploadEntry> Uploads)
    {
        public static FileAnswer From(StoredFile file, IEnumerable<ProviderUpload> uploads) =>
            new(file.Id, file.Bucket, file.StoragePath, file.OriginalName, file.MimeType, file.SizeBytes, file.Sha256, uploads.Select(UploadEntry.From).ToList());
    }

    /// <summary>A file's copy at a provider.</summary>
    /// <param name="Provider">The provider.</param>
    /// <param name="ProviderFileId">The provider's id of it.</param>
    /// <param name="Purpose">Its purpose.</param>
    /// <param name="Status">pending, completed, failed or deleted.</param>
    /// <param name="FileId">The file it is a copy of.</param>
    internal sealed record UploadEntry(string Provider, string ProviderFileId, string? Purpose, string Status, Guid? FileId)
    {
        public static UploadEntry From(ProviderUpload upload) =>
            new(upload.Provider, upload.ProviderFileId, upload.Purpose, upload.Status.ToString().ToLowerInvariant(), upload.FileId);
    }

    /// <summary>The <c>file_list</c> tool's answer.</summary>
    /// <param name="ContinuationId">The conversation.</param>
    /// <param name="Files">Its files, first linked first.</param>
    internal sealed record FileList(string ContinuationId, IReadOnlyList<FileListEntry> Files);

    /// <summary>A file of a conversation.</summary>
    /// <param name="FileId">The file's id.</param>
    /// <param name="LinkedAt">When it was linked.</param>
    /// <param name="Pending">Whether the link is still on its way to the database.</param>
    /// <param name="File">The file's record; none when it is unknown or being deleted.</param>
    internal sealed record FileListEntry(Guid FileId, DateTimeOffset LinkedAt, bool Pending, FileAnswer? File);

    /// <summary>The <c>file_orphans</c> tool's answer.</summary>
    /// <param name="Provider">The provider scanned.</param>
    /// <param name="ProviderFileCount">How many files the provider listed.</param>
    /// <param name="RecordCount">How many live records the database holds for it.</param>
    /// <param name="UnknownProviderFiles">Files at the provider no record refers to.</param>
    /// <param name="MissingProviderFiles">Records whose provider file is gone.</param>
    /// <param name="CleanedUp">Whether clean-up was done.</param>
    /// <param name="DeletionJobIds">The deletion jobs queued by the clean-up.</param>
    internal sealed record OrphanReport(
        string Provider, int ProviderFileCount, int RecordCount, IReadOnlyList<OrphanProviderFile> UnknownProviderFiles,
        IReadOnlyList<UploadEntry> MissingProviderFiles, bool CleanedUp, IReadOnlyList<Guid> DeletionJobIds);

    /// <summary>A file at a provider.</summary>
    /// <param name="Id">The provider's id.</param>
    /// <param name="Filename">Its name there.</param>
    /// <param name="Purpose">Its purpose.</param>
    /// <param name="Bytes">Its size.</param>
    /// <param name="CreatedAt">When it was made.</param>
    internal sealed record OrphanProviderFile(string Id, string? Filename, string? Purpose, long? Bytes, DateTimeOffset? CreatedAt);
}

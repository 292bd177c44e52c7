namespace Exai.Supabase.Files;

/// <summary>A storage bucket's limits, enforced before anything is written.</summary>
public sealed class FileBucketOptions
{
    /// <summary>The largest object, in bytes.</summary>
    /// <value>The default value is 50 MiB (<c>user-files</c>); <c>generated-files</c> is preset to 10 MiB.</value>
    public long MaxFileBytes { get; set; } = FilesDefaults.UserFilesMaxBytes;

    /// <summary>The MIME types accepted (exact, or <c>image/*</c> style); empty accepts any.</summary>
    /// <value>The default value is empty.</value>
    public List<string> AllowedMimeTypes { get; set; } = [];
}

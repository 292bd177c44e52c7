namespace Exai.Supabase.Files;

/// <summary>
/// The files feature: providers by name, buckets with their limits, the store, the deletion worker. Bound from
/// <c>Exai:Files</c>. (Named <c>FilesOptions</c>, not <c>FileOptions</c>, so it never clashes with
/// <see cref="System.IO.FileOptions"/>.)
/// </summary>
/// <example>
/// <code>
/// o.Files.Providers["kimi"] = new() { ApiKey = kimiKey };   // Moonshot preset from the name
/// o.Files.Providers["glm"] = new() { ApiKey = glmKey };     // ZhipuAI preset
/// o.Files.Providers["openai"] = new() { BaseUrl = "https://api.openai.com/v1", ApiKey = key, Purposes = ["assistants", "batch"] };
/// </code>
/// </example>
public sealed class FilesOptions
{
    /// <summary>The providers' files APIs, by name (compared ignoring case).</summary>
    /// <value>The default value is empty: no provider until one is configured.</value>
    public Dictionary<string, FileProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The storage buckets files may go to, by name, with their limits.</summary>
    /// <value>The default value is <c>user-files</c> (50 MiB a file) and <c>generated-files</c> (10 MiB a file).</value>
    public Dictionary<string, FileBucketOptions> Buckets { get; set; } = FilesDefaults.CreateBuckets();

    /// <summary>Where content is stored.</summary>
    public FileStorageOptions Storage { get; set; } = new();

    /// <summary>The deletion worker.</summary>
    public FileDeletionOptions Deletion { get; set; } = new();

    /// <summary>Files and records younger than this are left out of orphan reports (their record may still be on its way).</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan OrphanGracePeriod { get; set; } = FilesDefaults.OrphanGracePeriod;
}

namespace Exai.Supabase.Files;

/// <summary>The default values of <see cref="FilesOptions"/> and the provider presets, in one place.</summary>
public static class FilesDefaults
{
    /// <summary>The bucket for files users give: <c>user-files</c>.</summary>
    public const string UserFilesBucket = "user-files";

    /// <summary>The bucket for files tools produce: <c>generated-files</c>.</summary>
    public const string GeneratedFilesBucket = "generated-files";

    /// <summary>50 MiB a file in <c>user-files</c>.</summary>
    public const long UserFilesMaxBytes = 50L * 1024 * 1024;

    /// <summary>10 MiB a file in <c>generated-files</c>.</summary>
    public const long GeneratedFilesMaxBytes = 10L * 1024 * 1024;

    /// <summary>Moonshot's base URL.</summary>
    public const string MoonshotBaseUrl = "https://api.moonshot.ai/v1";

    /// <summary>ZhipuAI's base URL.</summary>
    public const string ZhipuAiBaseUrl = "https://open.bigmodel.cn/api/paas/v4";

    /// <summary>3 attempts per request.</summary>
    public const int ProviderMaxAttempts = 3;

    /// <summary>4 deletion jobs at once.</summary>
    public const int DeletionConcurrency = 4;

    /// <summary>8 attempts per deletion job.</summary>
    public const int DeletionMaxAttempts = 8;

    /// <summary>60 s per provider request attempt.</summary>
    public static readonly TimeSpan ProviderTimeout = TimeSpan.FromSeconds(60);

    /// <summary>100 s per storage request attempt.</summary>
    public static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(100);

    /// <summary>500 ms before the first retry.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>10 s at most between retries.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>60 s at most waited for a <c>Retry-After</c>.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>30 s of trust in a provider's usage figures.</summary>
    public static readonly TimeSpan UsageCacheDuration = TimeSpan.FromSeconds(30);

    /// <summary>10 s between looks for due deletion jobs.</summary>
    public static readonly TimeSpan DeletionPollInterval = TimeSpan.FromSeconds(10);

    /// <summary>30 s after a deletion job's first failure.</summary>
    public static readonly TimeSpan DeletionRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>1 hour at most between a deletion job's attempts.</summary>
    public static readonly TimeSpan DeletionMaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>10 minutes before a running deletion job is taken over.</summary>
    public static readonly TimeSpan DeletionLockTimeout = TimeSpan.FromMinutes(10);

    /// <summary>1 hour of grace before something counts as an orphan.</summary>
    public static readonly TimeSpan OrphanGracePeriod = TimeSpan.FromHours(1);

    /// <summary>The local store's folder when <see cref="FileStorageOptions.LocalDirectory"/> is not set.</summary>
    public static string LocalDirectory
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
            if (string.IsNullOrEmpty(root))
            {
                root = Path.GetTempPath();
            }

            return Path.Combine(root, "exai-supabase", "files");
        }
    }

    /// <summary>The default buckets: <c>user-files</c> (50 MiB a file) and <c>generated-files</c> (10 MiB a file).</summary>
    /// <returns>A new dictionary (names compared ordinally).</returns>
    public static Dictionary<string, FileBucketOptions> CreateBuckets() => new(StringComparer.Ordinal)
    {
        [UserFilesBucket] = new FileBucketOptions { MaxFileBytes = UserFilesMaxBytes },
        [GeneratedFilesBucket] = new FileBucketOptions { MaxFileBytes = GeneratedFilesMaxBytes },
    };
}

namespace Exai.Supabase.Files;

/// <summary>
/// One provider's files API. Settings left unset come from the preset of <see cref="Kind"/> (which defaults from the
/// provider's name: <c>kimi</c>/<c>moonshot</c> → Moonshot, <c>glm</c>/<c>zhipu</c>/<c>zhipuai</c> → ZhipuAI).
/// </summary>
public sealed class FileProviderOptions
{
    /// <summary>The preset that fills unset settings.</summary>
    /// <value>The default value is taken from the provider's name; <see cref="FileProviderKind.OpenAiCompatible"/> for other names.</value>
    public FileProviderKind? Kind { get; set; }

    /// <summary>The API's base URL, ending before <c>/files</c> (<c>https://api.moonshot.ai/v1</c>).</summary>
    /// <value>The default value is the preset's; required for <see cref="FileProviderKind.OpenAiCompatible"/>.</value>
    public string? BaseUrl { get; set; }

    /// <summary>The API key, sent as <c>Authorization: Bearer …</c>. Never logged nor put in an exception message.</summary>
    /// <value>The default value is <see langword="null"/>; required.</value>
    public string? ApiKey { get; set; }

    /// <summary>How long one attempt may take (an upload included).</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan Timeout { get; set; } = FilesDefaults.ProviderTimeout;

    /// <summary>Attempts per request, the first included. 429 and 5xx are retried; time-outs and broken connections only for reads and deletes.</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; set; } = FilesDefaults.ProviderMaxAttempts;

    /// <summary>The first wait before a retry when the provider gives no <c>Retry-After</c>; it doubles (jittered) up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan RetryDelay { get; set; } = FilesDefaults.RetryDelay;

    /// <summary>The longest wait between attempts without <c>Retry-After</c>.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan MaxRetryDelay { get; set; } = FilesDefaults.MaxRetryDelay;

    /// <summary>The longest <c>Retry-After</c> waited for; a longer one ends the request with a <see cref="ProviderFileException"/> carrying it.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan MaxRetryAfter { get; set; } = FilesDefaults.MaxRetryAfter;

    /// <summary>The purposes the provider accepts; an upload for another is refused before it is sent.</summary>
    /// <value>The default value is the preset's; required for <see cref="FileProviderKind.OpenAiCompatible"/>.</value>
    public List<string>? Purposes { get; set; }

    /// <summary>The largest file, in bytes.</summary>
    /// <value>The default value is the preset's (Moonshot 100 MiB); none for <see cref="FileProviderKind.OpenAiCompatible"/>.</value>
    public long? MaxFileBytes { get; set; }

    /// <summary>The most files the account may hold at the provider.</summary>
    /// <value>The default value is the preset's (Moonshot 1,000).</value>
    public int? MaxFiles { get; set; }

    /// <summary>The most bytes the account may hold at the provider.</summary>
    /// <value>The default value is the preset's (Moonshot 10 GiB).</value>
    public long? MaxTotalBytes { get; set; }

    /// <summary>Limits by purpose; entries here replace the preset's for the same purpose.</summary>
    /// <value>The default value is the preset's (ZhipuAI: see <see cref="FileProviderKind.ZhipuAi"/>).</value>
    public Dictionary<string, FilePurposeLimits>? PurposeLimits { get; set; }

    /// <summary>The page size asked for when listing (<c>limit</c>); <see langword="null"/> sends none.</summary>
    /// <value>The default value is the preset's (ZhipuAI 100; Moonshot none).</value>
    public int? ListPageSize { get; set; }

    /// <summary>Whether a full listing asks for each purpose separately (for providers that list one purpose at a time).</summary>
    /// <value>The default value is the preset's (ZhipuAI true; otherwise false).</value>
    public bool? ListByPurpose { get; set; }

    /// <summary>How long the account's usage (file count and bytes, from a listing) is trusted when checking <see cref="MaxFiles"/>, <see cref="MaxTotalBytes"/> and per-purpose counts.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan UsageCacheDuration { get; set; } = FilesDefaults.UsageCacheDuration;

    /// <summary>Describes the settings without the API key.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() =>
        $"FileProviderOptions {{ Kind = {Kind?.ToString() ?? "(from name)"}, BaseUrl = {BaseUrl ?? "(preset)"}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(not set)" : "***")} }}";
}

namespace Exai.Supabase.Files.Internal;

/// <summary>One provider's settings in effect: its options with the unset ones filled from its preset.</summary>
internal sealed class ProviderSettings
{
    private const long MiB = 1024L * 1024;

    public required string Name { get; init; }

    public required FileProviderKind Kind { get; init; }

    /// <summary>The base URL, ending in <c>/</c> so relative paths append to it.</summary>
    public required Uri BaseUrl { get; init; }

    public required string ApiKey { get; init; }

    public required RetryPolicy Retry { get; init; }

    public required IReadOnlyList<string> Purposes { get; init; }

    public long? MaxFileBytes { get; init; }

    public int? MaxFiles { get; init; }

    public long? MaxTotalBytes { get; init; }

    public required IReadOnlyDictionary<string, FilePurposeLimits> PurposeLimits { get; init; }

    public int? ListPageSize { get; init; }

    public bool ListByPurpose { get; init; }

    public TimeSpan UsageCacheDuration { get; init; }

    /// <summary>Whether checking an upload needs the account's current usage.</summary>
    public bool TracksUsage => MaxFiles is not null || MaxTotalBytes is not null || PurposeLimits.Values.Any(l => l.MaxFiles is not null);

    /// <summary>The option path of a setting, for messages: <c>Files.Providers[kimi].MaxFileBytes</c>.</summary>
    public string Option(string setting) => $"Files.Providers[{Name}].{setting}";

    /// <summary>The preset a provider name implies.</summary>
    public static FileProviderKind KindFromName(string name) => name.ToLowerInvariant() switch
    {
        "kimi" or "moonshot" or "moonshotai" => FileProviderKind.Moonshot,
        "glm" or "zhipu" or "zhipuai" or "bigmodel" => FileProviderKind.ZhipuAi,
        _ => FileProviderKind.OpenAiCompatible,
    };

    /// <summary>Fills <paramref name="options"/> from its preset. Assumes the options were validated.</summary>
    public static ProviderSettings Resolve(string name, FileProviderOptions options)
    {
        var kind = options.Kind ?? KindFromName(name);
        var preset = Preset(kind);
        var purposeLimits = new Dictionary<string, FilePurposeLimits>(preset.PurposeLimits, StringComparer.Ordinal);
        foreach (var (purpose, limits) in options.PurposeLimits ?? [])
        {
            purposeLimits[purpose] = limits;
        }

        var baseUrl = options.BaseUrl ?? preset.BaseUrl ?? throw new InvalidOperationException($"Files.Providers[{name}].BaseUrl is not set.");
        return new ProviderSettings
        {
            Name = name.ToLowerInvariant(),
            Kind = kind,
            BaseUrl = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute),
            ApiKey = options.ApiKey ?? string.Empty,
            Retry = new RetryPolicy(options.MaxAttempts, options.Timeout, options.RetryDelay, options.MaxRetryDelay, options.MaxRetryAfter),
            Purposes = options.Purposes is { Count: > 0 } purposes ? purposes.ToArray() : preset.Purposes,
            MaxFileBytes = options.MaxFileBytes ?? preset.MaxFileBytes,
            MaxFiles = options.MaxFiles ?? preset.MaxFiles,
            MaxTotalBytes = options.MaxTotalBytes ?? preset.MaxTotalBytes,
            PurposeLimits = purposeLimits,
            ListPageSize = options.ListPageSize ?? preset.ListPageSize,
            ListByPurpose = options.ListByPurpose ?? preset.ListByPurpose,
            UsageCacheDuration = options.UsageCacheDuration,
        };
    }

    /// <summary>What the providers document (MB read as MiB).</summary>
    public static (string? BaseUrl, string[] Purposes, long? MaxFileBytes, int? MaxFiles, long? MaxTotalBytes, Dictionary<string, FilePurposeLimits> PurposeLimits, int? ListPageSize, bool ListByPurpose) Preset(FileProviderKind kind) => kind switch
    {
        FileProviderKind.Moonshot => (
            FilesDefaults.MoonshotBaseUrl,
            ["file-extract", "image", "video", "batch"],
            100 * MiB,
            1_000,
            10 * 1024 * MiB,
            [],
            null,
            false),
        FileProviderKind.ZhipuAi => (
            FilesDefaults.ZhipuAiBaseUrl,
            ["file-extract", "batch", "code-interpreter", "agent"],
            null,
            null,
            null,
            new Dictionary<string, FilePurposeLimits>(StringComparer.Ordinal)
            {
                ["file-extract"] = new() { MaxFileBytes = 50 * MiB, MaxImageBytes = 5 * MiB, MaxFiles = 100 },
                ["code-interpreter"] = new() { MaxFileBytes = 20 * MiB, MaxImageBytes = 5 * MiB, MaxFiles = 100 },
                ["agent"] = new() { MaxFileBytes = 20 * MiB, MaxImageBytes = 5 * MiB, MaxFiles = 1_000 },
                ["batch"] = new() { MaxFileBytes = 100 * MiB, MaxFiles = 1_000 },
            },
            100,
            true),
        _ => (null, [], null, null, null, [], null, false),
    };
}

using System.Globalization;

namespace Exai.Supabase.Files.Internal;

/// <summary>The checks of <see cref="FilesOptions"/>, each message naming the option, its value and the fix.</summary>
internal static class FilesOptionsValidation
{
    private const string Prefix = "ExaiSupabaseOptions.Files.";

    public static void Validate(FilesOptions options, List<string> failures)
    {
        foreach (var (name, provider) in options.Providers)
        {
            ValidateProvider(name, provider, failures);
        }

        foreach (var (name, bucket) in options.Buckets)
        {
            var option = $"{Prefix}Buckets[{name}]";
            try
            {
                StoragePaths.Bucket(name);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{option}: the name is not a valid bucket name ({ex.Message}).");
            }

            if (bucket is null || bucket.MaxFileBytes <= 0)
            {
                failures.Add($"{option}.MaxFileBytes is {bucket?.MaxFileBytes.ToString(CultureInfo.InvariantCulture) ?? "null"}; it must be positive (user-files defaults to 50 MiB).");
            }
        }

        var storage = options.Storage;
        if (!string.IsNullOrWhiteSpace(storage.SupabaseUrl))
        {
            if (!IsHttpUrl(storage.SupabaseUrl))
            {
                failures.Add($"{Prefix}Storage.SupabaseUrl ('{storage.SupabaseUrl}') is not an absolute http(s) URL; use https://<project>.supabase.co.");
            }

            if (string.IsNullOrWhiteSpace(storage.ServiceKey))
            {
                failures.Add($"{Prefix}Storage.ServiceKey is not set; Supabase Storage needs the service role key (Exai:Files:Storage:ServiceKey).");
            }
        }

        Positive(storage.Timeout, "Storage.Timeout", "100 seconds", failures);
        Positive(storage.RetryDelay, "Storage.RetryDelay", "500 milliseconds", failures);
        Attempts(storage.MaxAttempts, "Storage.MaxAttempts", failures);

        var deletion = options.Deletion;
        Positive(deletion.PollInterval, "Deletion.PollInterval", "10 seconds", failures);
        Positive(deletion.RetryDelay, "Deletion.RetryDelay", "30 seconds", failures);
        Positive(deletion.LockTimeout, "Deletion.LockTimeout", "10 minutes", failures);
        if (deletion.MaxRetryDelay < deletion.RetryDelay)
        {
            failures.Add($"{Prefix}Deletion.MaxRetryDelay ({deletion.MaxRetryDelay}) is below Deletion.RetryDelay ({deletion.RetryDelay}); raise it.");
        }

        if (deletion.Concurrency is < 1 or > 64)
        {
            failures.Add($"{Prefix}Deletion.Concurrency is {deletion.Concurrency}; use 1 to 64 (the default is 4).");
        }

        if (deletion.MaxAttempts is < 1 or > 1_000)
        {
            failures.Add($"{Prefix}Deletion.MaxAttempts is {deletion.MaxAttempts}; use 1 to 1000 (the default is 8).");
        }

        if (options.OrphanGracePeriod < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}OrphanGracePeriod is {options.OrphanGracePeriod}; it must not be negative (the default is 1 hour).");
        }
    }

    private static void ValidateProvider(string name, FileProviderOptions? provider, List<string> failures)
    {
        var option = $"{Prefix}Providers[{name}]";
        if (provider is null)
        {
            failures.Add($"{option} is empty; give it at least an ApiKey.");
            return;
        }

        if (string.IsNullOrWhiteSpace(provider.ApiKey))
        {
            failures.Add($"{option}.ApiKey is not set; set Exai:Files:Providers:{name}:ApiKey (environment Exai__Files__Providers__{name}__ApiKey).");
        }

        var kind = provider.Kind ?? ProviderSettings.KindFromName(name);
        if (provider.BaseUrl is { } url ? !IsHttpUrl(url) : kind == FileProviderKind.OpenAiCompatible)
        {
            failures.Add($"{option}.BaseUrl ('{provider.BaseUrl ?? "not set"}') must be an absolute http(s) URL ending before /files, such as https://api.example.com/v1 (names other than kimi/moonshot and glm/zhipuai have no preset).");
        }

        if (kind == FileProviderKind.OpenAiCompatible && provider.Purposes is not { Count: > 0 })
        {
            failures.Add($"{option}.Purposes is empty; list the purposes the provider accepts (for example [\"file-extract\", \"batch\"]).");
        }

        Positive(provider.Timeout, $"Providers[{name}].Timeout", "60 seconds", failures);
        Positive(provider.RetryDelay, $"Providers[{name}].RetryDelay", "500 milliseconds", failures);
        Attempts(provider.MaxAttempts, $"Providers[{name}].MaxAttempts", failures);
        if (provider.MaxRetryDelay < provider.RetryDelay)
        {
            failures.Add($"{option}.MaxRetryDelay ({provider.MaxRetryDelay}) is below RetryDelay ({provider.RetryDelay}); raise it.");
        }

        if (provider.MaxRetryAfter < TimeSpan.Zero || provider.UsageCacheDuration < TimeSpan.Zero)
        {
            failures.Add($"{option}.MaxRetryAfter and UsageCacheDuration must not be negative.");
        }

        if (provider.MaxFileBytes is <= 0 || provider.MaxFiles is <= 0 || provider.MaxTotalBytes is <= 0)
        {
            failures.Add($"{option}: MaxFileBytes, MaxFiles and MaxTotalBytes must be positive when set.");
        }

        if (provider.ListPageSize is < 1 or > 10_000)
        {
            failures.Add($"{option}.ListPageSize is {provider.ListPageSize}; use 1 to 10000 (ZhipuAI accepts 1 to 100), or leave it unset.");
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static void Attempts(int value, string name, List<string> failures)
    {
        if (value is < 1 or > 20)
        {
            failures.Add($"{Prefix}{name} is {value}; use 1 to 20 (the default is 3).");
        }
    }

    private static void Positive(TimeSpan value, string name, string defaultValue, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}{name} is {value}; it must be positive (the default is {defaultValue}).");
        }
    }
}

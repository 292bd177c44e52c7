namespace Exai.Supabase.Files;

/// <summary>Where file content is stored: Supabase Storage when <see cref="SupabaseUrl"/> is set, else a local folder.</summary>
public sealed class FileStorageOptions
{
    /// <summary>The Supabase project URL (<c>https://&lt;project&gt;.supabase.co</c>); requests go to <c>/storage/v1/…</c> under it.</summary>
    /// <value>The default value is <see langword="null"/>: files are kept in <see cref="LocalDirectory"/>.</value>
    public string? SupabaseUrl { get; set; }

    /// <summary>The service role key, sent as <c>Authorization: Bearer</c> and <c>apikey</c>. Never logged.</summary>
    /// <value>The default value is <see langword="null"/>; required with <see cref="SupabaseUrl"/>.</value>
    public string? ServiceKey { get; set; }

    /// <summary>The folder of the local store (one sub-folder per bucket).</summary>
    /// <value>The default value is <c>exai-supabase/files</c> under the user's local application data folder.</value>
    public string? LocalDirectory { get; set; }

    /// <summary>How long one storage request may take.</summary>
    /// <value>The default value is 100 seconds.</value>
    public TimeSpan Timeout { get; set; } = FilesDefaults.StorageTimeout;

    /// <summary>Attempts per storage request, the first included (429 and 5xx are retried).</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; set; } = FilesDefaults.ProviderMaxAttempts;

    /// <summary>The first wait before a retry without <c>Retry-After</c>; it doubles (jittered) up to 10 seconds.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan RetryDelay { get; set; } = FilesDefaults.RetryDelay;

    /// <summary>Describes the settings without the service key.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() =>
        $"FileStorageOptions {{ SupabaseUrl = {SupabaseUrl ?? "(local)"}, ServiceKey = {(string.IsNullOrEmpty(ServiceKey) ? "(not set)" : "***")}, LocalDirectory = {LocalDirectory ?? "(default)"} }}";
}

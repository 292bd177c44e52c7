namespace Exai.Supabase.Files.Internal;

/// <summary>The names of the feature's <see cref="System.Net.Http.IHttpClientFactory"/> clients.</summary>
internal static class FilesHttp
{
    /// <summary>Every provider's files API (requests carry absolute URLs and their own key).</summary>
    public const string ProviderClient = "Exai.Supabase.Files.Providers";

    /// <summary>Supabase Storage.</summary>
    public const string StorageClient = "Exai.Supabase.Files.Storage";
}

namespace Exai.Supabase.Files;

/// <summary>The state of a file at a provider, as kept in <c>provider_file_uploads.status</c>.</summary>
/// <remarks>A status only moves forward: <see cref="Pending"/>, then <see cref="Completed"/> or <see cref="Failed"/>, then <see cref="Deleted"/>.</remarks>
public enum ProviderUploadStatus
{
    /// <summary>Accepted by the provider and still being processed.</summary>
    Pending,

    /// <summary>At the provider and usable.</summary>
    Completed,

    /// <summary>The provider holds the file but could not process it (its status was <c>error</c> or <c>failed</c>).</summary>
    Failed,

    /// <summary>No longer at the provider (deleted by the library, or found gone by an orphan scan).</summary>
    Deleted,
}

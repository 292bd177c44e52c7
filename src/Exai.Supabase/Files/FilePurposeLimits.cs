namespace Exai.Supabase.Files;

/// <summary>The limits a provider sets for one purpose.</summary>
public sealed class FilePurposeLimits
{
    /// <summary>The largest file of this purpose, in bytes; <see langword="null"/> for the provider's general limit.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public long? MaxFileBytes { get; set; }

    /// <summary>The largest image (MIME type <c>image/*</c>) of this purpose, in bytes; <see langword="null"/> for no separate limit.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public long? MaxImageBytes { get; set; }

    /// <summary>The most files of this purpose at the provider; <see langword="null"/> for no separate limit.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public int? MaxFiles { get; set; }
}

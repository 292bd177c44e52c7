namespace Exai.Supabase.Files;

/// <summary>Hands out the <see cref="IProviderFileClient"/> of each provider configured in <see cref="FilesOptions.Providers"/>.</summary>
public interface IProviderFileClientFactory
{
    /// <summary>The configured providers' names.</summary>
    IReadOnlyCollection<string> Providers { get; }

    /// <summary>The client of a configured provider (names are compared ignoring case).</summary>
    /// <param name="provider">The provider's name.</param>
    /// <returns>Its client.</returns>
    /// <exception cref="ArgumentException">No provider of that name is configured.</exception>
    IProviderFileClient GetClient(string provider);
}

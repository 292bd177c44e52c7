namespace Exai.Supabase.Files;

/// <summary>
/// A provider's OpenAI-style files API (<c>/files</c>): Moonshot Kimi, ZhipuAI GLM, or any provider added by
/// configuration. Requests carry <c>Authorization: Bearer</c> with the configured key, time out per attempt, and are
/// retried on 429 and 5xx (honouring <c>Retry-After</c>).
/// </summary>
public interface IProviderFileClient
{
    /// <summary>The provider's configured name.</summary>
    string Provider { get; }

    /// <summary>Uploads a file (multipart <c>file</c> + <c>purpose</c>) after checking every configured limit.</summary>
    /// <param name="content">The content from its current position to its end; must be seekable (retries rewind it).</param>
    /// <param name="fileName">The file name to send.</param>
    /// <param name="purpose">One of the provider's purposes.</param>
    /// <param name="mimeType">The content's MIME type (images have limits of their own at some providers).</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    /// <returns>The provider's description of the new file.</returns>
    /// <exception cref="ArgumentException">The stream is not seekable, or the purpose is not one of the provider's.</exception>
    /// <exception cref="FileLimitExceededException">A limit would be exceeded; nothing was sent.</exception>
    /// <exception cref="ProviderFileException">The provider refused or failed.</exception>
    Task<ProviderFile> UploadAsync(Stream content, string fileName, string purpose, string? mimeType = null, CancellationToken cancellationToken = default);

    /// <summary>One page of the provider's files.</summary>
    /// <param name="purpose">Only files of this purpose, where the provider filters; <see langword="null"/> for all.</param>
    /// <param name="after">The last id of the previous page; <see langword="null"/> for the first.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ProviderFileException">The provider refused or failed.</exception>
    Task<ProviderFileList> ListAsync(string? purpose = null, string? after = null, CancellationToken cancellationToken = default);

    /// <summary>Every file at the provider: all pages (and, where the provider lists by purpose, all purposes).</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The files.</returns>
    /// <exception cref="ProviderFileException">The provider refused or failed.</exception>
    Task<IReadOnlyList<ProviderFile>> ListAllAsync(CancellationToken cancellationToken = default);

    /// <summary>A file's description.</summary>
    /// <param name="fileId">The provider's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The file, or <see langword="null"/> when the provider does not know it.</returns>
    /// <exception cref="ProviderFileException">The provider refused or failed.</exception>
    Task<ProviderFile?> GetAsync(string fileId, CancellationToken cancellationToken = default);

    /// <summary>A file's content (<c>GET /files/{id}/content</c>), read fully into memory.</summary>
    /// <param name="fileId">The provider's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The content, or <see langword="null"/> when the provider does not know the file.</returns>
    /// <exception cref="ProviderFileException">The provider refused or failed.</exception>
    Task<byte[]?> GetContentAsync(string fileId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a file.</summary>
    /// <param name="fileId">The provider's id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns><see langword="true"/> when it was deleted, <see langword="false"/> when the provider did not know it (which counts as done).</returns>
    /// <exception cref="ProviderFileException">The provider refused or failed.</exception>
    Task<bool> DeleteAsync(string fileId, CancellationToken cancellationToken = default);
}

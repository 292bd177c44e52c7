using System.Net;

namespace Exai.Supabase.Files;

/// <summary>
/// A provider's files API refused or failed a request (after the configured retries). The message names the
/// provider, the request, the status and the provider's own error text; it never holds the API key.
/// </summary>
public sealed class ProviderFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProviderFileException()
        : this("A provider's files API failed.")
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    public ProviderFileException(string message)
        : base(message)
    {
        Provider = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ProviderFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Provider = string.Empty;
    }

    /// <summary>Creates the exception for a failed request.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="message">The message (free of secrets).</param>
    /// <param name="statusCode">The HTTP status, or <see langword="null"/> when none came (a time-out, a broken connection).</param>
    /// <param name="retryAfter">The wait the provider asked for, when it did.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ProviderFileException(string provider, string message, HttpStatusCode? statusCode, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>The provider's name.</summary>
    public string Provider { get; }

    /// <summary>The HTTP status of the last attempt; <see langword="null"/> when no response came.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The wait the provider asked for with <c>Retry-After</c>, when it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether the last attempt timed out.</summary>
    public bool IsTimeout => InnerException is TimeoutException;
}

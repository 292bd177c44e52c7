using System.Net;

namespace Exai.Supabase.Files;

/// <summary>The file store refused or failed a request. The message never holds the service key.</summary>
public sealed class FileStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FileStorageException()
        : this("The file store failed.")
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    public FileStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FileStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failed request.</summary>
    /// <param name="message">The message (free of secrets).</param>
    /// <param name="statusCode">The status (HTTP, or its equivalent for the local store: 409 for an existing object), if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public FileStorageException(string message, HttpStatusCode? statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    /// <summary>The status of the failed request; <see langword="null"/> when none came.</summary>
    public HttpStatusCode? StatusCode { get; }
}

namespace Exai.Supabase.Files;

/// <summary>
/// A file does not fit a limit: a bucket's size limit, or a provider's per-file, per-purpose, file-count or
/// total-size limit. Thrown before anything is sent or written. <see cref="LimitName"/> names the option that sets
/// the limit.
/// </summary>
public sealed class FileLimitExceededException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public FileLimitExceededException()
        : this("A file limit was exceeded.")
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    public FileLimitExceededException(string message)
        : base(message)
    {
        LimitName = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FileLimitExceededException(string message, Exception innerException)
        : base(message, innerException)
    {
        LimitName = string.Empty;
    }

    /// <summary>Creates the exception for a limit.</summary>
    /// <param name="limitName">The option that sets the limit, such as <c>Files.Providers[glm].PurposeLimits[file-extract].MaxImageBytes</c>.</param>
    /// <param name="limit">The limit.</param>
    /// <param name="actual">What the file (or the account with the file) would reach.</param>
    /// <param name="what">What is being limited, for the message (<c>the file's size</c>, <c>the number of files at kimi</c>, …).</param>
    /// <param name="unit">The unit of the limit (<c>bytes</c>, <c>files</c>).</param>
    public FileLimitExceededException(string limitName, long limit, long actual, string what, string unit = "bytes")
        : base($"{what} would be {actual:N0} {unit}, over the limit of {limit:N0} {unit} set by {limitName}; nothing was sent.")
    {
        LimitName = limitName;
        Limit = limit;
        Actual = actual;
    }

    /// <summary>The option that sets the exceeded limit.</summary>
    public string LimitName { get; }

    /// <summary>The limit.</summary>
    public long Limit { get; }

    /// <summary>The value that would have exceeded it.</summary>
    public long Actual { get; }
}

namespace Exai.Supabase.Conversations;

/// <summary>
/// A continuation id that cannot name a thread: empty or white space, longer than
/// <see cref="ConversationLimits.MaxContinuationIdLength"/>, or holding a NUL character or a lone surrogate.
/// </summary>
public sealed class InvalidContinuationIdException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public InvalidContinuationIdException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public InvalidContinuationIdException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The check that failed.</param>
    public InvalidContinuationIdException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception naming the parameter.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="paramName">The parameter holding the continuation id.</param>
    /// <param name="innerException">The check that failed.</param>
    public InvalidContinuationIdException(string? message, string? paramName, Exception? innerException)
        : base(message, paramName, innerException)
    {
    }
}

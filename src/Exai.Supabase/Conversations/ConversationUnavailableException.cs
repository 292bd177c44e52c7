namespace Exai.Supabase.Conversations;

/// <summary>
/// A read could not be served: the database is unreachable and this process holds nothing of the thread (neither
/// cached turns nor turns of its own still on their way).
/// </summary>
public sealed class ConversationUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConversationUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What could not be read.</param>
    public ConversationUnavailableException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the database error.</summary>
    /// <param name="message">What could not be read.</param>
    /// <param name="innerException">The database error.</param>
    public ConversationUnavailableException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

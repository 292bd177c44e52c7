namespace Exai.Supabase.Security;

/// <summary>
/// Thrown when a Supabase access token cannot be turned into a user scope. <see cref="Failure"/> says which check
/// failed; the message never contains the token or a secret.
/// </summary>
public sealed class SupabaseTokenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SupabaseTokenException()
        : this(SupabaseTokenFailure.Malformed, "The access token is not valid.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SupabaseTokenException(string message)
        : this(SupabaseTokenFailure.Malformed, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SupabaseTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = SupabaseTokenFailure.Malformed;
    }

    /// <summary>Creates the exception for a failed check.</summary>
    /// <param name="failure">The check that failed.</param>
    /// <param name="message">What failed, without the token.</param>
    /// <param name="innerException">The validation error behind it, if any.</param>
    public SupabaseTokenException(SupabaseTokenFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>The check that failed.</summary>
    public SupabaseTokenFailure Failure { get; }
}

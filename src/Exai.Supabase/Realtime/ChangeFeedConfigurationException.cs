namespace Exai.Supabase.Realtime;

/// <summary>
/// The change feed cannot work with the database as it is set up: a subscribed table is not in publication
/// <c>supabase_realtime</c>, or a named slot exists for another database or output plugin. The message names the fix.
/// </summary>
public sealed class ChangeFeedConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ChangeFeedConfigurationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ChangeFeedConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChangeFeedConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

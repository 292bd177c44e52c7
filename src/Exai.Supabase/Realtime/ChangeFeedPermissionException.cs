namespace Exai.Supabase.Realtime;

/// <summary>
/// The role of <c>ConnectionStrings:ExaiDirect</c> may not use logical replication. The message says what to grant
/// (<c>ALTER ROLE … WITH REPLICATION</c>) and that Supabase's direct connection, not its pooler, is needed.
/// </summary>
public sealed class ChangeFeedPermissionException : InvalidOperationException
{
    /// <summary>Creates the exception for a role.</summary>
    /// <param name="role">The role that was refused.</param>
    /// <param name="serverMessage">What the server said.</param>
    /// <param name="innerException">The server's error.</param>
    public ChangeFeedPermissionException(string role, string serverMessage, Exception? innerException)
        : base(
            $"Role \"{role}\" may not use logical replication, which the change feed needs ({serverMessage}). " +
            $"Grant it as an administrator: ALTER ROLE \"{role}\" WITH REPLICATION; " +
            "and connect through ConnectionStrings:ExaiDirect to the server itself — on Supabase the direct connection " +
            "(db.<project>.supabase.co, port 5432), not the transaction pooler (port 6543), which cannot replicate.",
            innerException)
    {
        Role = role;
    }

    /// <summary>Creates the exception.</summary>
    public ChangeFeedPermissionException()
        : this("(unknown)", "permission denied", null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ChangeFeedPermissionException(string message)
        : base(message)
    {
        Role = "(unknown)";
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChangeFeedPermissionException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Role = "(unknown)";
    }

    /// <summary>The role that was refused.</summary>
    public string Role { get; }
}

namespace Exai.Supabase.Testing;

/// <summary>Thrown when no PostgreSQL server could be found or started for tests, benchmarks or the demo.</summary>
public sealed class PostgresUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PostgresUnavailableException()
        : base(BuildMessage(null))
    {
    }

    /// <summary>Creates the exception with the reason the last attempt failed.</summary>
    /// <param name="message">The reason.</param>
    public PostgresUnavailableException(string message)
        : base(BuildMessage(message))
    {
    }

    /// <summary>Creates the exception with the reason and the error behind it.</summary>
    /// <param name="message">The reason.</param>
    /// <param name="innerException">The error behind it.</param>
    public PostgresUnavailableException(string message, Exception innerException)
        : base(BuildMessage(message), innerException)
    {
    }

    private static string BuildMessage(string? detail)
    {
        var ways =
            "No PostgreSQL server is available. Provide one of: " +
            $"(1) the environment variable {PostgresServer.ConnectionStringVariable} with a connection string to a server on which databases may be created; " +
            "(2) a running Docker engine (Testcontainers starts a container); " +
            "(3) the PostgreSQL server binaries initdb and pg_ctl (on Debian: apt-get install postgresql).";
        return detail is null ? ways : $"{ways} Last attempt: {detail}";
    }
}

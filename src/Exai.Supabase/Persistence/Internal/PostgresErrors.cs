using System.Net.Sockets;
using Npgsql;

namespace Exai.Supabase.Persistence.Internal;

/// <summary>What a database error means for the work that met it.</summary>
internal enum ErrorDisposition
{
    /// <summary>The server or the path to it failed; the same work will succeed later. Retry.</summary>
    Transient,

    /// <summary>The schema the work needs is not there yet (a migration is pending). Hold and retry.</summary>
    SchemaNotReady,

    /// <summary>The row itself is wrong or forbidden; retrying cannot help. Isolate it.</summary>
    RowRejected,

    /// <summary>Configuration or programming error (bad password, missing privilege on a table, …).</summary>
    Fatal,
}

/// <summary>Sorts exceptions from Npgsql by what they mean for the work that met them.</summary>
internal static class PostgresErrors
{
    public static ErrorDisposition Classify(Exception exception)
    {
        switch (exception)
        {
            case PostgresException pg:
                return ClassifySqlState(pg.SqlState);
            case NpgsqlException npgsql:
                // Not a server error: the connection broke, timed out or was never made.
                return npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or TimeoutException or EndOfStreamException
                    ? ErrorDisposition.Transient
                    : npgsql.InnerException is { } cause ? Classify(cause) : ErrorDisposition.Transient;
            case SocketException or IOException or TimeoutException or EndOfStreamException:
                return ErrorDisposition.Transient;
            case InvalidOperationException { InnerException: { } inner }:
                return Classify(inner);
            default:
                return exception.InnerException is { } wrapped ? Classify(wrapped) : ErrorDisposition.Fatal;
        }
    }

    public static ErrorDisposition ClassifySqlState(string sqlState)
    {
        if (sqlState.Length != 5)
        {
            return ErrorDisposition.Fatal;
        }

        return sqlState switch
        {
            "40001" or "40P01" => ErrorDisposition.Transient,                // serialization failure, deadlock
            "57P01" or "57P02" or "57P03" or "57014" => ErrorDisposition.Transient, // shutdown, crash, starting up, cancelled
            "55P03" or "55006" => ErrorDisposition.Transient,                // lock not available, object in use
            "42P01" or "42703" or "42883" or "3F000" => ErrorDisposition.SchemaNotReady,
            "42501" => ErrorDisposition.RowRejected,                         // row-level security (or a missing grant)
            _ => sqlState[..2] switch
            {
                "08" or "53" or "58" or "XX" => ErrorDisposition.Transient,  // connection, resources, system, internal
                "22" or "23" => ErrorDisposition.RowRejected,               // data exception, integrity violation
                _ => ErrorDisposition.Fatal,
            },
        };
    }

    public static bool IsTransient(Exception exception) => Classify(exception) == ErrorDisposition.Transient;

    /// <summary>A one-line description of a database error without secrets: the SQLSTATE and the server's message.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        PostgresException pg => $"{pg.MessageText} ({pg.SqlState})",
        NpgsqlException { InnerException: SocketException socket } => socket.Message,
        NpgsqlException { InnerException: TimeoutException } => "the connection timed out",
        NpgsqlException { InnerException: { } inner } npgsql when inner is not NpgsqlException => $"{npgsql.Message} {inner.Message}",
        _ => exception.Message,
    };
}

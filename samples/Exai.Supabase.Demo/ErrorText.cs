using System.Net.Sockets;
using Exai.Supabase.Testing;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exai.Supabase.Demo;

/// <summary>Turns any failure into one readable line: what failed and why, never a stack trace or a password.</summary>
internal static class ErrorText
{
    public static string OneLine(Exception exception) => Flatten(exception switch
    {
        DemoException demo => demo.Message,
        Exai.Supabase.Migrations.ExaiSchemaConflictException conflict => conflict.Message,
        OptionsValidationException options => string.Join(" ", options.Failures),
        PostgresException { SqlState: "28P01" or "28000" } pg => $"the server refused the credentials: {pg.MessageText} ({pg.SqlState})",
        PostgresException { SqlState: "3D000" } pg => $"{pg.MessageText} ({pg.SqlState}); create the database first",
        PostgresException pg => $"{pg.MessageText} ({pg.SqlState})",
        NpgsqlException { InnerException: SocketException socket } => $"cannot reach the database server: {socket.Message}",
        NpgsqlException { InnerException: TimeoutException } => "the database server did not answer in time",
        NpgsqlException npgsql => $"database error: {npgsql.Message}",
        PostgresUnavailableException unavailable => unavailable.Message,
        AggregateException { InnerExceptions.Count: 1 } aggregate => OneLine(aggregate.InnerExceptions[0]),
        _ => $"{exception.GetType().Name}: {exception.Message}",
    });

    private static string Flatten(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}

namespace Exai.Supabase.Migrations;

/// <summary>
/// Thrown when the database already holds tables with the library's names that the library did not create (an
/// EX-AI-MCP-Server database, say). Nothing was changed.
/// </summary>
public sealed class ExaiSchemaConflictException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ExaiSchemaConflictException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    public ExaiSchemaConflictException(string message)
        : base(message)
    {
        Tables = [];
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ExaiSchemaConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
        Tables = [];
    }

    /// <summary>Creates the exception for the tables found.</summary>
    /// <param name="tables">The foreign tables, by name.</param>
    public ExaiSchemaConflictException(IReadOnlyList<string> tables)
        : base(BuildMessage(tables))
    {
        Tables = tables;
    }

    /// <summary>The tables in schema <c>public</c> that carry the library's names but are not its own.</summary>
    public IReadOnlyList<string> Tables { get; }

    private static string BuildMessage(IReadOnlyList<string> tables) =>
        $"Schema public already holds tables Exai.Supabase did not create: {string.Join(", ", tables)}. Nothing was changed. " +
        "If this is an EX-AI-MCP-Server database, adopt it with 'migrate --adopt-legacy' (ExaiMigrationOptions.AdoptLegacy = true), " +
        "which consolidates every row and keeps the originals in a backup schema; otherwise use another database or schema.";
}

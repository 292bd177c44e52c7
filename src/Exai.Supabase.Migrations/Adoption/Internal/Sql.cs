using System.Globalization;
using Npgsql;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// Quoting for the SQL adoption generates. Identifiers come from the catalog and are always quoted; the only
/// literals pasted are names (table and column names), escaped as SQL string literals. Values travel as parameters.
/// </summary>
internal static class Sql
{
    /// <summary>What PostgreSQL's uuid input accepts in its common forms (with or without hyphens and braces).</summary>
    public const string UuidPattern = @"^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$";

    /// <summary>A quoted identifier, as <c>format('%I')</c> would quote it (always quoted).</summary>
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A quoted identifier qualified by its schema.</summary>
    public static string Qualified(string schema, string name) => $"{Ident(schema)}.{Ident(name)}";

    /// <summary>A SQL string literal of a name.</summary>
    public static string Literal(string name) => "'" + name.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A text[] literal of names.</summary>
    public static string LiteralArray(IEnumerable<string> names)
    {
        var items = names.Select(Literal).ToList();
        return items.Count == 0 ? "ARRAY[]::text[]" : $"ARRAY[{string.Join(", ", items)}]::text[]";
    }

    /// <summary>A uuid from a text expression when it has the shape of one, else NULL (never a cast error).</summary>
    public static string TryUuid(string text) =>
        $"(CASE WHEN ({text}) ~ {Literal(UuidPattern)} THEN ({text})::uuid END)";

    /// <summary>
    /// The form a reference is compared in: a UUID-shaped text as PostgreSQL prints the uuid (lower case, hyphens),
    /// anything else as it is.
    /// </summary>
    public static string NormalizeReference(string text) =>
        $"(CASE WHEN ({text}) ~ {Literal(UuidPattern)} THEN (({text})::uuid)::text ELSE ({text}) END)";

    /// <summary>A lower-case SHA-256 hex digest from a text expression, NULL when it is not one.</summary>
    public static string TrySha256(string text) =>
        $"(CASE WHEN ({text}) ~ '^[0-9a-fA-F]{{64}}$' THEN lower({text}) END)";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A command without a time limit: copying a large legacy table takes as long as it takes, and the caller's
    /// cancellation token (which rolls the step back) is the way to stop it. Lock waits are bounded separately.
    /// </summary>
    public static NpgsqlCommand Command(string sql, NpgsqlConnection connection, NpgsqlTransaction? transaction) =>
        new(sql, connection, transaction) { CommandTimeout = 0 };
}

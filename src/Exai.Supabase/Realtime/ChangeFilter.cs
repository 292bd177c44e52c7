using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Realtime.Internal;

namespace Exai.Supabase.Realtime;

/// <summary>
/// Keeps only changes whose column equals a value; applied in-process, after decoding. Inserts match on the new row,
/// updates on the new or the old row (so a row that leaves the filter is seen leaving), deletes on the old row.
/// A delete whose old row does not carry the column (a table with the default replica identity, filtered on a column
/// outside the primary key) cannot be judged and is delivered.
/// </summary>
public sealed class ChangeFilter
{
    private ChangeFilter(string? table, string column, object? value)
    {
        Table = table;
        Column = column;
        Value = value;
    }

    /// <summary>The table the filter applies to; <see langword="null"/> for every subscribed table.</summary>
    public string? Table { get; }

    /// <summary>The column compared.</summary>
    public string Column { get; }

    /// <summary>
    /// The value the column must equal: compared with the decoded value (a <see cref="Guid"/>, a number, a
    /// <see cref="bool"/>, a string …); numbers compare by value whatever their type, anything else by its invariant text.
    /// <see langword="null"/> matches SQL NULL.
    /// </summary>
    public object? Value { get; }

    /// <summary>A filter on <paramref name="column"/> equal to <paramref name="value"/> in every subscribed table.</summary>
    /// <param name="column">The column name.</param>
    /// <param name="value">The value; <see langword="null"/> for SQL NULL.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentException"><paramref name="column"/> is null, empty, whitespace, over-long, or holds a NUL character or a lone surrogate.</exception>
    public static ChangeFilter Equal(string column, object? value)
    {
        InputGuard.Required(column, nameof(column), Limits.NameLength);
        return new ChangeFilter(null, column, value);
    }

    /// <summary>A filter on <paramref name="column"/> of <paramref name="table"/> equal to <paramref name="value"/>; other tables pass.</summary>
    /// <param name="table">The table name (schema <c>public</c>).</param>
    /// <param name="column">The column name.</param>
    /// <param name="value">The value; <see langword="null"/> for SQL NULL.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentException"><paramref name="table"/> or <paramref name="column"/> is null, empty, whitespace, over-long, or holds a NUL character or a lone surrogate.</exception>
    public static ChangeFilter Equal(string table, string column, object? value)
    {
        InputGuard.Required(table, nameof(table), Limits.NameLength);
        InputGuard.Required(column, nameof(column), Limits.NameLength);
        return new ChangeFilter(table, column, value);
    }

    /// <summary>Describes the filter.</summary>
    /// <returns><c>table.column = value</c>.</returns>
    public override string ToString() => $"{Table ?? "*"}.{Column} = {ValueComparer.Describe(Value)}";
}

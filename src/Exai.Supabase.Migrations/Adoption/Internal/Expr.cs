namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// A SQL expression over a legacy row. <see cref="Kept"/> names the legacy column (if any) whose value the expression
/// carries unchanged whenever it is set: that column need not be repeated in <c>metadata.legacy</c>. Every other
/// column it reads may be transformed or passed over, so it stays in <c>metadata.legacy</c>.
/// </summary>
internal sealed record Expr(string Sql, string? Kept)
{
    public static Expr Null(string type) => new($"NULL::{type}", null) { IsNull = true };

    public static Expr Of(string sql) => new(sql, null);

    public bool IsNull { get; private init; }

    /// <summary>A different expression over the same value: the value is no longer carried unchanged.</summary>
    public Expr Map(Func<string, string> wrap) => IsNull ? this : new(wrap(Sql), null);

    /// <summary>The same value where it is set, <paramref name="fallback"/> where it is NULL.</summary>
    public Expr Or(Expr fallback) =>
        IsNull ? fallback with { Kept = null }
        : fallback.IsNull ? this
        : new($"coalesce({Sql}, {fallback.Sql})", Kept);

    /// <summary>The same value where it is set, the SQL <paramref name="fallbackSql"/> where it is NULL.</summary>
    public Expr OrSql(string fallbackSql) => IsNull ? new(fallbackSql, null) : new($"coalesce({Sql}, {fallbackSql})", Kept);
}

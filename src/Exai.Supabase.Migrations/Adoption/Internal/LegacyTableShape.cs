namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>A legacy table read from the live catalog: its columns, its key and its row count.</summary>
internal sealed class LegacyTableShape
{
    public LegacyTableShape(string schema, string name, IReadOnlyList<LegacyColumn> columns, IReadOnlyList<string> key, long rows)
    {
        Schema = schema;
        Name = name;
        Columns = columns;
        Key = key;
        Rows = rows;
        ByName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    public string Schema { get; }

    public string Name { get; }

    /// <summary>Columns in table order.</summary>
    public IReadOnlyList<LegacyColumn> Columns { get; }

    public IReadOnlyDictionary<string, LegacyColumn> ByName { get; }

    /// <summary>
    /// The columns that identify a row (the primary key, else a unique non-null <c>id</c>-like column); empty when
    /// nothing does, and rows are then told apart by their content.
    /// </summary>
    public IReadOnlyList<string> Key { get; }

    public long Rows { get; }

    public string QualifiedName => $"{Sql.Ident(Schema)}.{Sql.Ident(Name)}";

    public bool Has(string column) => ByName.ContainsKey(column);
}

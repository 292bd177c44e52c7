namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// Builds expressions over one legacy table whose rows are read as <c>s.r</c> (the whole row) and <c>s.k</c> (the
/// row's source id). Every helper takes candidate column names in order of preference and reads those the table
/// really has, so one mapping serves every shape found in the wild.
/// </summary>
internal sealed class SourceRow
{
    public const string Alias = "s";

    public SourceRow(LegacyTableShape shape) => Shape = shape;

    public LegacyTableShape Shape { get; }

    public string Table => Shape.Name;

    /// <summary>The row's source id (text).</summary>
    public static string Key => $"{Alias}.k";

    /// <summary>The whole row as jsonb.</summary>
    public static string RowJson => $"to_jsonb({Alias}.r)";

    /// <summary>
    /// The FROM item: every row of the table with its source id. The id is the key column(s) as text; a table with no
    /// key gets an id from the row's content, numbered among identical rows.
    /// </summary>
    public string From()
    {
        string key;
        if (Shape.Key.Count == 1)
        {
            key = $"t.{Sql.Ident(Shape.Key[0])}::text";
        }
        else if (Shape.Key.Count > 1)
        {
            key = $"concat_ws(':', {string.Join(", ", Shape.Key.Select(c => $"t.{Sql.Ident(c)}::text"))})";
        }
        else
        {
            key = "'row:' || md5(to_jsonb(t)::text) || ':' || row_number() OVER (PARTITION BY md5(to_jsonb(t)::text))::text";
        }

        return $"(SELECT t AS r, {key} AS k FROM {Shape.QualifiedName} t) {Alias}";
    }

    /// <summary>The source-id expression over a table aliased <paramref name="alias"/> (for lookups from elsewhere).</summary>
    public static string KeyOf(LegacyTableShape shape, string alias) => shape.Key.Count switch
    {
        1 => $"{alias}.{Sql.Ident(shape.Key[0])}::text",
        > 1 => $"concat_ws(':', {string.Join(", ", shape.Key.Select(c => $"{alias}.{Sql.Ident(c)}::text"))})",
        _ => $"'row:' || md5(to_jsonb({alias})::text) || ':' || row_number() OVER (PARTITION BY md5(to_jsonb({alias})::text))::text",
    };

    public bool Has(string column) => Shape.Has(column);

    public string Col(string column) => $"({Alias}.r).{Sql.Ident(column)}";

    public LegacyColumn? Column(string column) => Shape.ByName.GetValueOrDefault(column);

    /// <summary>Text: the first candidate that is not NULL (or empty, for text columns among several).</summary>
    public Expr Text(params string[] candidates) => Coalesce("text", candidates, c => c.Kind switch
    {
        ColumnKind.Text => (Col(c.Name), true),
        ColumnKind.Json or ColumnKind.Jsonb => ($"({Col(c.Name)} #>> '{{}}')", false),
        ColumnKind.TextArray or ColumnKind.OtherArray => ($"array_to_string({Col(c.Name)}, ', ')", false),
        _ => ($"{Col(c.Name)}::text", false),
    });

    /// <summary>A uuid: uuid columns as they are, text columns when they hold one.</summary>
    public Expr Uuid(params string[] candidates) => Coalesce("uuid", candidates, c => c.Kind switch
    {
        ColumnKind.Uuid => (Col(c.Name), true),
        ColumnKind.Text or ColumnKind.Other or ColumnKind.Enum => (Sql.TryUuid($"{Col(c.Name)}::text"), false),
        ColumnKind.Json or ColumnKind.Jsonb => (Sql.TryUuid($"({Col(c.Name)} #>> '{{}}')"), false),
        _ => (null, false),
    });

    /// <summary>
    /// A timestamptz: as stored for timestamptz; a timestamp (or date) without time zone read as UTC; a text that
    /// looks like an ISO 8601 time parsed (the session runs in UTC).
    /// </summary>
    public Expr Timestamp(params string[] candidates) => Coalesce("timestamptz", candidates, c => c.Kind switch
    {
        ColumnKind.TimestampTz => (Col(c.Name), true),
        ColumnKind.Timestamp => ($"({Col(c.Name)} AT TIME ZONE 'UTC')", false),
        ColumnKind.Date => ($"({Col(c.Name)}::timestamp AT TIME ZONE 'UTC')", false),
        ColumnKind.Text => ($"(CASE WHEN {Col(c.Name)} ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}([ T]\\d{{2}}:\\d{{2}}(:\\d{{2}}(\\.\\d+)?)?)?(Z|[+-]\\d{{2}}(:?\\d{{2}})?)?$' THEN {Col(c.Name)}::timestamptz END)", false),
        _ => (null, false),
    });

    /// <summary>A bigint from integer, numeric or digit-only text columns.</summary>
    public Expr BigInt(params string[] candidates) => Coalesce("bigint", candidates, c => c.Kind switch
    {
        ColumnKind.BigInt => (Col(c.Name), true),
        ColumnKind.Integer => (Col(c.Name), true),
        ColumnKind.Numeric => ($"(CASE WHEN {Col(c.Name)} BETWEEN -9223372036854775808 AND 9223372036854775807 THEN round({Col(c.Name)})::bigint END)", false),
        ColumnKind.Text => ($"(CASE WHEN {Col(c.Name)} ~ '^\\s*-?\\d{{1,18}}\\s*$' THEN btrim({Col(c.Name)})::bigint END)", false),
        _ => (null, false),
    });

    /// <summary>An integer (NULL when the value does not fit).</summary>
    public Expr Int(params string[] candidates) => Coalesce("integer", candidates, c => c.Kind switch
    {
        ColumnKind.Integer => (Col(c.Name), true),
        ColumnKind.BigInt or ColumnKind.Numeric => ($"(CASE WHEN {Col(c.Name)} BETWEEN -2147483648 AND 2147483647 THEN round({Col(c.Name)})::integer END)", false),
        ColumnKind.Text => ($"(CASE WHEN {Col(c.Name)} ~ '^\\s*-?\\d{{1,9}}\\s*$' THEN btrim({Col(c.Name)})::integer END)", false),
        _ => (null, false),
    });

    /// <summary>A text[]: arrays as text arrays, a single text as a one-element array, a JSON array's elements.</summary>
    public Expr TextArray(params string[] candidates) => Coalesce("text[]", candidates, c => c.Kind switch
    {
        ColumnKind.TextArray => ($"{Col(c.Name)}::text[]", true),
        ColumnKind.OtherArray => ($"{Col(c.Name)}::text[]", false),
        ColumnKind.Text or ColumnKind.Enum => ($"(CASE WHEN nullif(btrim({Col(c.Name)}::text), '') IS NOT NULL THEN ARRAY[{Col(c.Name)}::text] END)", false),
        ColumnKind.Json or ColumnKind.Jsonb => ($"(CASE WHEN jsonb_typeof({Col(c.Name)}::jsonb) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text({Col(c.Name)}::jsonb)) END)", false),
        _ => (null, false),
    });

    /// <summary>A jsonb value.</summary>
    public Expr Jsonb(params string[] candidates) => Coalesce("jsonb", candidates, c => c.Kind switch
    {
        ColumnKind.Jsonb => (Col(c.Name), true),
        ColumnKind.Json => ($"{Col(c.Name)}::jsonb", false),
        _ => (null, false),
    });

    /// <summary>
    /// The legacy <c>metadata</c> column as a jsonb object when the table has one (NULL otherwise, and for rows
    /// whose metadata is not an object).
    /// </summary>
    public string? MetadataObject()
    {
        var m = Jsonb("metadata");
        return m.IsNull ? null : $"(CASE WHEN jsonb_typeof({m.Sql}) = 'object' THEN {m.Sql} END)";
    }

    /// <summary>Text read from keys of the legacy <c>metadata</c> object (a string or a number), first found wins.</summary>
    public Expr MetadataText(params string[] keys)
    {
        var m = MetadataObject();
        if (m is null || keys.Length == 0)
        {
            return Expr.Null("text");
        }

        var parts = keys.Select(k => $"(CASE WHEN jsonb_typeof({m} -> {Sql.Literal(k)}) IN ('string', 'number') THEN nullif({m} ->> {Sql.Literal(k)}, '') END)");
        return Expr.Of($"coalesce({string.Join(", ", parts)})");
    }

    /// <summary>A non-negative integer read from a (possibly nested) path of the legacy <c>metadata</c> object.</summary>
    public Expr MetadataCount(params string[][] paths)
    {
        var m = MetadataObject();
        if (m is null || paths.Length == 0)
        {
            return Expr.Null("integer");
        }

        var parts = paths.Select(p =>
        {
            var path = "'{" + string.Join(",", p) + "}'";
            return $"(CASE WHEN jsonb_typeof({m} #> {path}) = 'number' AND ({m} #>> {path})::numeric BETWEEN 0 AND 2147483647 THEN round(({m} #>> {path})::numeric)::integer END)";
        });
        return Expr.Of($"coalesce({string.Join(", ", parts)})");
    }

    private Expr Coalesce(string type, string[] candidates, Func<LegacyColumn, (string? Sql, bool Lossless)> convert)
    {
        var parts = new List<string>();
        string? kept = null;
        foreach (var name in candidates)
        {
            if (Column(name) is not { } column)
            {
                continue;
            }

            var (sql, exact) = convert(column);
            if (sql is null)
            {
                continue;
            }

            // The first candidate wins whenever it is set, so its value is the one carried unchanged.
            if (parts.Count == 0 && exact)
            {
                kept = name;
            }

            parts.Add(sql);
        }

        return parts.Count switch
        {
            0 => Expr.Null(type),
            1 => new(parts[0], kept),
            _ => new($"coalesce({string.Join(", ", parts)})", kept),
        };
    }
}

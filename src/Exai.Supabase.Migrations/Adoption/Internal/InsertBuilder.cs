using System.Text;
using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// Builds one <c>INSERT … SELECT … ON CONFLICT (source_table, source_id) DO NOTHING</c> from a legacy table into a
/// consolidated one. Every target column gets an expression; <c>metadata</c> is the legacy row's own metadata object
/// (when it has one and it does not use the reserved keys), plus <c>legacy</c> (every column not carried unchanged
/// into a column of its own, with its original value) and <c>adoption</c> (notes: duplicates, unresolved
/// references, values the vocabularies did not know, …).
/// </summary>
internal sealed class InsertBuilder
{
    /// <summary>Keys of <c>metadata</c> adoption writes; a legacy metadata object using them is kept whole in <c>legacy</c>.</summary>
    public static readonly string[] ReservedKeys = ["legacy", "adoption"];

    private readonly string _target;
    private readonly SourceRow _source;
    private readonly List<(string Column, string Sql)> _columns = [];
    private readonly HashSet<string> _verbatim = new(StringComparer.Ordinal);
    private readonly List<string> _joins = [];
    private readonly List<(string Key, string Sql)> _notes = [];

    public InsertBuilder(string target, SourceRow source, string sourceTable, string? sourceId = null)
    {
        _target = target;
        _source = source;
        SourceTable = sourceTable;
        SourceIdSql = sourceId ?? SourceRow.Key;
        if (source.Shape.Key.Count == 1 && sourceId is null)
        {
            // The source id carries the key's value.
            _verbatim.Add(source.Shape.Key[0]);
        }
    }

    public string SourceTable { get; }

    public string SourceIdSql { get; }

    /// <summary>Extra FROM items (after the source), e.g. the joins of a <see cref="Reference"/> or a LATERAL.</summary>
    public InsertBuilder Join(string sql)
    {
        if (!string.IsNullOrWhiteSpace(sql))
        {
            _joins.Add(sql);
        }

        return this;
    }

    public InsertBuilder Set(string column, Expr expr)
    {
        _columns.Add((column, expr.Sql));
        if (expr.Kept is not null)
        {
            _verbatim.Add(expr.Kept);
        }

        return this;
    }

    public InsertBuilder Set(string column, string sql) => Set(column, Expr.Of(sql));

    /// <summary>Adds a note under <c>metadata.adoption</c>; the value is a SQL expression (NULL leaves the note out).</summary>
    public InsertBuilder Note(string key, string sql)
    {
        _notes.Add((key, sql));
        return this;
    }

    /// <summary>The SELECT (columns in <see cref="Columns"/> order), for counting or wrapping.</summary>
    public string Select(string? where = null)
    {
        var sql = new StringBuilder();
        sql.Append("SELECT ");
        sql.AppendJoin(",\n       ", _columns.Select(c => $"{c.Sql} AS {Sql.Ident(c.Column)}"));
        sql.Append(",\n       ").Append(Metadata()).Append(" AS ").Append(Sql.Ident(ColumnNames.Metadata));
        sql.Append(",\n       ").Append(Sql.Literal(SourceTable)).Append("::text AS ").Append(Sql.Ident(ColumnNames.SourceTable));
        sql.Append(",\n       ").Append(SourceIdSql).Append(" AS ").Append(Sql.Ident(ColumnNames.SourceId));
        sql.Append("\nFROM ").Append(_source.From());

        // The legacy object once per row (OFFSET 0 keeps the planner from inlining it at each use).
        sql.Append("\nCROSS JOIN LATERAL (SELECT ").Append(LegacyObject()).Append(" AS legacy OFFSET 0) ").Append(LegacyAlias);
        foreach (var join in _joins)
        {
            sql.Append('\n').Append(join);
        }

        if (where is not null)
        {
            sql.Append("\nWHERE ").Append(where);
        }

        return sql.ToString();
    }

    public IEnumerable<string> Columns =>
        _columns.Select(c => c.Column).Append(ColumnNames.Metadata).Append(ColumnNames.SourceTable).Append(ColumnNames.SourceId);

    /// <summary>The INSERT of every source row, idempotent through the (source_table, source_id) unique index.</summary>
    public string Build(string? where = null) =>
        $"INSERT INTO {Sql.Qualified(TableNames.Schema, _target)} ({string.Join(", ", Columns.Select(Sql.Ident))})\n" +
        $"{Select(where)}\n" +
        "ON CONFLICT (source_table, source_id) WHERE source_id IS NOT NULL DO NOTHING";

    private const string LegacyAlias = "exai_lg";

    /// <summary>Every legacy column not carried unchanged into a column of its own, and not NULL.</summary>
    private string LegacyObject()
    {
        var own = _source.MetadataObject();
        var legacy = $"(SELECT coalesce(jsonb_object_agg(e.key, e.value), '{{}}'::jsonb) FROM jsonb_each({SourceRow.RowJson} - {Sql.LiteralArray(_verbatim.Order(StringComparer.Ordinal))}) e WHERE e.value <> 'null'::jsonb)";
        return own is null ? legacy : $"(CASE WHEN {Spread(own)} THEN {legacy} - 'metadata' ELSE {legacy} END)";
    }

    private static string Spread(string own) => $"({own} IS NOT NULL AND NOT ({own} ?| {Sql.LiteralArray(ReservedKeys)}))";

    private string Metadata()
    {
        var own = _source.MetadataObject();
        var legacy = $"{LegacyAlias}.legacy";
        var parts = new List<string>
        {
            own is null ? "'{}'::jsonb" : $"(CASE WHEN {Spread(own)} THEN {own} ELSE '{{}}'::jsonb END)",
            $"(CASE WHEN {legacy} = '{{}}'::jsonb THEN '{{}}'::jsonb ELSE jsonb_build_object('legacy', {legacy}) END)",
        };
        if (_notes.Count > 0)
        {
            var notes = $"jsonb_strip_nulls(jsonb_build_object({string.Join(", ", _notes.Select(n => $"{Sql.Literal(n.Key)}, {n.Sql}"))}))";
            parts.Add($"jsonb_strip_nulls(jsonb_build_object('adoption', nullif({notes}, '{{}}'::jsonb)))");
        }

        return string.Join(" || ", parts);
    }
}

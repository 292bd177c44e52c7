namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// Resolves a legacy reference (a conversation id, a file id, an issue id, stored as uuid or as text) to the id of
/// the row it names in the consolidated tables. A reference matches a legacy parent row on any of its match
/// columns (the id first, then text keys such as a continuation id or a storage path), and that row is found in
/// the new table through its <c>source_table</c>/<c>source_id</c>; failing that, a new row with the reference in a
/// direct column, and failing that, the stand-in made for the reference (when the reference must resolve).
/// </summary>
internal sealed class Reference
{
    private Reference(string joins, string id, string resolved)
    {
        Joins = joins;
        Id = id;
        Resolved = resolved;
    }

    /// <summary>The LEFT JOINs to add after the source's FROM item.</summary>
    public string Joins { get; }

    /// <summary>The resolved id (uuid), NULL when nothing matched.</summary>
    public string Id { get; }

    /// <summary>A boolean expression: the reference named a real row (not a stand-in).</summary>
    public string Resolved { get; }

    /// <param name="alias">A prefix for the join aliases, unique within the statement.</param>
    /// <param name="reference">The reference, a text expression over the source row.</param>
    /// <param name="target">The consolidated table (in <c>public</c>).</param>
    /// <param name="matches">Legacy parent tables and the columns a reference may name, in order of preference.</param>
    /// <param name="directColumn">A text column of the new table a reference may name directly, if any.</param>
    /// <param name="standInSource">The <c>source_table</c> of stand-ins for unresolved references, if they are made.</param>
    public static Reference Build(
        string alias,
        string reference,
        string target,
        IReadOnlyList<(LegacyTableShape Table, string Column)> matches,
        string? directColumn,
        string? standInSource)
    {
        var targetTable = Sql.Qualified("public", target);
        var joins = new List<string>();
        var ids = new List<string>();
        var real = new List<string>();

        var map = RefMap(matches);
        if (map is not null)
        {
            joins.Add($"LEFT JOIN ({map}) {alias}_m ON {alias}_m.ref = {Sql.NormalizeReference(reference)}");
            joins.Add($"LEFT JOIN {targetTable} {alias}_t ON {alias}_t.source_table = {alias}_m.src_table AND {alias}_t.source_id = {alias}_m.src_key");
            ids.Add($"{alias}_t.id");
            real.Add($"{alias}_t.id IS NOT NULL");
        }

        if (directColumn is not null)
        {
            joins.Add($"LEFT JOIN LATERAL (SELECT x.id, x.source_table FROM {targetTable} x WHERE x.{Sql.Ident(directColumn)} = {reference} ORDER BY x.source_table NULLS FIRST, x.id LIMIT 1) {alias}_d ON true");
            ids.Add($"{alias}_d.id");
            real.Add(standInSource is null
                ? $"{alias}_d.id IS NOT NULL"
                : $"({alias}_d.id IS NOT NULL AND {alias}_d.source_table IS DISTINCT FROM {Sql.Literal(standInSource)})");
        }

        if (standInSource is not null)
        {
            joins.Add($"LEFT JOIN {targetTable} {alias}_p ON {alias}_p.source_table = {Sql.Literal(standInSource)} AND {alias}_p.source_id = coalesce({reference}, '(null)')");
            ids.Add($"{alias}_p.id");
        }

        var id = ids.Count switch
        {
            0 => "NULL::uuid",
            1 => ids[0],
            _ => $"coalesce({string.Join(", ", ids)})",
        };
        var resolved = real.Count == 0 ? "false" : $"({string.Join(" OR ", real)})";
        return new Reference(string.Join("\n", joins), id, resolved);
    }

    /// <summary>
    /// Legacy match values → (legacy table, source id), one row per value, the most preferred match winning; NULL
    /// when there is no legacy parent table at all.
    /// </summary>
    public static string? RefMap(IReadOnlyList<(LegacyTableShape Table, string Column)> matches)
    {
        var parts = new List<string>();
        var priority = 0;
        foreach (var (table, column) in matches)
        {
            priority++;
            if (!table.Has(column))
            {
                continue;
            }

            parts.Add(
                $"SELECT {Sql.NormalizeReference($"p.{Sql.Ident(column)}::text")} AS ref, {Sql.Literal(table.Name)}::text AS src_table, " +
                $"{SourceRow.KeyOf(table, "p")} AS src_key, {Sql.Number(priority)} AS pri FROM {table.QualifiedName} p");
        }

        return parts.Count == 0
            ? null
            : $"SELECT DISTINCT ON (ref) ref, src_table, src_key FROM ({string.Join("\nUNION ALL\n", parts)}) u WHERE ref IS NOT NULL ORDER BY ref, pri, src_key";
    }
}

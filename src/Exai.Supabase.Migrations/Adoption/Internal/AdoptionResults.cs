using Exai.Supabase.Persistence.Internal;
using Npgsql;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>Reads what a copy produced: consolidated rows per source, and the notes under <c>metadata.adoption</c>.</summary>
internal static class AdoptionResults
{
    public static async Task<List<AdoptionMove>> MovesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyDictionary<string, LegacyTableShape> legacy, IReadOnlySet<string> targets,
        CancellationToken cancellationToken)
    {
        var moves = new List<AdoptionMove>();
        foreach (var (target, _) in Consolidation.Order.Where(o => targets.Contains(o.Target)))
        {
            var rows = await LegacyCatalog.ListAsync(connection, transaction,
                $"SELECT source_table, count(*) FROM {Sql.Qualified(TableNames.Schema, target)} WHERE source_table IS NOT NULL GROUP BY 1 ORDER BY 1",
                r => (r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
            foreach (var (source, count) in rows)
            {
                moves.Add(new AdoptionMove(source, target, legacy.TryGetValue(source, out var shape) ? shape.Rows : 0, count));
            }
        }

        return moves;
    }

    public static async Task<List<AdoptionFinding>> FindingsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlySet<string> targets, CancellationToken cancellationToken)
    {
        var findings = new List<AdoptionFinding>();
        foreach (var (target, _) in Consolidation.Order.Where(o => targets.Contains(o.Target)))
        {
            findings.AddRange(await LegacyCatalog.ListAsync(connection, transaction,
                $"""
                SELECT n.key, t.source_table, t.source_id, n.value::text
                FROM {Sql.Qualified(TableNames.Schema, target)} t
                CROSS JOIN LATERAL (
                    SELECT e.key, e.value FROM jsonb_each(t.metadata -> 'adoption') e WHERE NOT (t.metadata -> 'adoption' ? 'stand_in')
                    UNION ALL
                    SELECT 'stand_in', (t.metadata -> 'adoption') - 'stand_in' WHERE t.metadata -> 'adoption' ? 'stand_in') n
                WHERE t.source_table IS NOT NULL AND jsonb_typeof(t.metadata -> 'adoption') = 'object'
                ORDER BY n.key, t.source_table, t.source_id
                """,
                r => new AdoptionFinding(r.GetString(0), target, r.GetString(1), r.GetString(2), r.GetString(3)), cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }
}

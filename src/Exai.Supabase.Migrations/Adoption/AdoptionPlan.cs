using System.Globalization;
using System.Text;

namespace Exai.Supabase.Migrations.Adoption;

/// <summary>
/// What adopting the database would do, found by reading the catalog and by rehearsing the whole adoption in a
/// transaction that is rolled back: the counts and findings are those the real run will produce, and nothing was
/// changed to find them.
/// </summary>
/// <param name="State">Where the database stands.</param>
/// <param name="BackupSchema">The schema the replaced legacy tables are kept in.</param>
/// <param name="Tables">Every table found: consolidated, kept where it is, or unsupported.</param>
/// <param name="Views">Views (and materialized views) over replaced tables, moved into the backup schema with them.</param>
/// <param name="RenamedIndexes">Indexes of kept tables renamed because the new schema uses their names.</param>
/// <param name="ForeignKeysIntoBackup">Foreign keys of kept tables that will point into the backup schema.</param>
/// <param name="PendingMigrations">Migrations applied after the legacy tables are moved aside.</param>
/// <param name="Moves">Legacy rows per consolidated table, as rehearsed (empty when there is nothing to copy).</param>
/// <param name="Findings">Notes recorded on the rehearsed rows: duplicates, conflicts, unresolved references, unmapped values.</param>
/// <param name="Blockers">Why adoption cannot proceed, when <see cref="State"/> is <see cref="AdoptionState.Blocked"/>.</param>
public sealed record AdoptionPlan(
    AdoptionState State,
    string BackupSchema,
    IReadOnlyList<AdoptionTable> Tables,
    IReadOnlyList<string> Views,
    IReadOnlyList<string> RenamedIndexes,
    IReadOnlyList<string> ForeignKeysIntoBackup,
    IReadOnlyList<string> PendingMigrations,
    IReadOnlyList<AdoptionMove> Moves,
    IReadOnlyList<AdoptionFinding> Findings,
    IReadOnlyList<string> Blockers)
{
    /// <summary>How many findings of each kind <see cref="Describe"/> lists before summarising.</summary>
    public const int FindingsListedPerKind = 10;

    /// <summary>Whether running adoption would change the database.</summary>
    public bool HasWork => State is AdoptionState.Legacy or AdoptionState.Resumable;

    /// <summary>The plan as text for people: tables found, what moves where, findings and blockers.</summary>
    /// <returns>Several lines of text.</returns>
    public string Describe()
    {
        var text = new StringBuilder();
        Line(text, $"Adoption state: {DescribeState(State)}");
        var consolidated = Tables.Where(t => t.Disposition == AdoptionDisposition.Consolidated).ToList();
        if (consolidated.Count > 0)
        {
            Line(text, $"Legacy tables replaced ({consolidated.Count}; kept untouched in schema {BackupSchema}):");
            foreach (var table in consolidated)
            {
                Line(text, $"  {table.Schema}.{table.Name,-24} {table.Rows,8} row(s) -> public.{table.Target}");
            }
        }

        var kept = Tables.Where(t => t.Disposition == AdoptionDisposition.Kept).ToList();
        if (kept.Count > 0)
        {
            Line(text, $"Tables outside the consolidation, left where they are ({kept.Count}):");
            foreach (var table in kept)
            {
                Line(text, $"  {table.Schema}.{table.Name,-24} {table.Rows,8} row(s)");
            }
        }

        foreach (var table in Tables.Where(t => t.Disposition == AdoptionDisposition.Unsupported))
        {
            Line(text, $"Unsupported: {table.Schema}.{table.Name} ({table.Rows} row(s)) has a name of the new schema and nothing to consolidate it into.");
        }

        if (Views.Count > 0)
        {
            Line(text, $"Views over replaced tables, moved with them to {BackupSchema}: {string.Join(", ", Views)}");
        }

        if (RenamedIndexes.Count > 0)
        {
            Line(text, $"Indexes of kept tables renamed (the new schema uses their names): {string.Join(", ", RenamedIndexes)}");
        }

        if (ForeignKeysIntoBackup.Count > 0)
        {
            Line(text, $"Foreign keys of kept tables that will point into {BackupSchema}: {string.Join(", ", ForeignKeysIntoBackup)}");
        }

        if (PendingMigrations.Count > 0)
        {
            Line(text, $"Migrations to apply: {string.Join(", ", PendingMigrations)}");
        }

        if (Moves.Count > 0)
        {
            Line(text, "What moves where (rehearsed):");
            foreach (var move in Moves)
            {
                var rows = move.SourceRows == 0 && move.Source.Contains(':', StringComparison.Ordinal)
                    ? $"{move.TargetRows} stand-in row(s)"
                    : $"{move.SourceRows} legacy row(s) -> {move.TargetRows} row(s)";
                Line(text, $"  {move.Source,-24} -> {move.Target,-22} {rows}");
            }
        }

        if (Findings.Count > 0)
        {
            Line(text, $"Findings ({Findings.Count}; each is also recorded on its row under metadata.adoption):");
            foreach (var kind in Findings.GroupBy(f => f.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                Line(text, $"  {kind.Key} ({kind.Count()}):");
                foreach (var finding in kind.Take(FindingsListedPerKind))
                {
                    Line(text, $"    {finding.Table} <- {finding.SourceTable} {finding.SourceId}: {finding.Detail}");
                }

                if (kind.Count() > FindingsListedPerKind)
                {
                    Line(text, $"    ... and {kind.Count() - FindingsListedPerKind} more");
                }
            }
        }

        foreach (var blocker in Blockers)
        {
            Line(text, $"Blocked: {blocker}");
        }

        return text.ToString();
    }

    private static string DescribeState(AdoptionState state) => state switch
    {
        AdoptionState.NotLegacy => "no legacy EX-AI tables; nothing to adopt",
        AdoptionState.Legacy => "legacy EX-AI database; adoption would consolidate it",
        AdoptionState.Resumable => "an earlier adoption stopped part way; adoption would finish it",
        AdoptionState.Adopted => "adopted already; nothing to do",
        _ => "blocked",
    };

    private static void Line(StringBuilder text, string line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
}

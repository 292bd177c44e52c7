using System.Text;

namespace Exai.Supabase.Migrations.Adoption;

/// <summary>What an adoption run did.</summary>
/// <param name="Plan">The plan it followed (state and findings as rehearsed before the run).</param>
/// <param name="AppliedMigrations">Migrations applied by this run.</param>
/// <param name="Copied">Rows copied by this run, per legacy table; empty when everything was copied before.</param>
/// <param name="Findings">Notes recorded on the rows this run copied.</param>
/// <param name="BackupDropped">Whether the backup schema was dropped.</param>
public sealed record AdoptionReport(
    AdoptionPlan Plan,
    IReadOnlyList<string> AppliedMigrations,
    IReadOnlyList<AdoptionMove> Copied,
    IReadOnlyList<AdoptionFinding> Findings,
    bool BackupDropped)
{
    /// <summary>Whether the run changed the database.</summary>
    public bool Changed => AppliedMigrations.Count > 0 || Copied.Count > 0 || BackupDropped || Plan.State == AdoptionState.Legacy;

    /// <summary>The report as text for people.</summary>
    /// <returns>Several lines of text.</returns>
    public string Describe()
    {
        var text = new StringBuilder();
        if (Plan.State is AdoptionState.NotLegacy or AdoptionState.Adopted && Copied.Count == 0)
        {
            text.AppendLine(Plan.State == AdoptionState.Adopted
                ? "The database was adopted before; nothing to copy."
                : "No legacy EX-AI tables found; nothing to adopt.");
        }
        else
        {
            text.AppendLine("Plan, as rehearsed before the run:");
            text.Append(Plan.Describe());
            text.AppendLine(
                $"Adopted: copied {Copied.Sum(c => c.TargetRows)} row(s) from {Copied.Count(c => c.SourceRows > 0)} legacy table(s), every count verified; " +
                $"the originals are kept in schema {Plan.BackupSchema}.");
        }

        text.AppendLine(AppliedMigrations.Count == 0
            ? "No migration was pending."
            : $"Applied {AppliedMigrations.Count} migration(s): {string.Join(", ", AppliedMigrations)}.");
        if (BackupDropped)
        {
            text.AppendLine($"Dropped the backup schema {Plan.BackupSchema}.");
        }

        return text.ToString();
    }
}

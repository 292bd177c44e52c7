namespace Exai.Supabase.Prompts;

/// <summary>What an import did: one entry per prompt, in (tool, provider) order.</summary>
/// <param name="Entries">The prompts imported.</param>
public sealed record ImportReport(IReadOnlyList<ImportReportEntry> Entries)
{
    /// <summary>How many new versions were stored.</summary>
    public int Created => Entries.Count(e => e.Outcome == ImportOutcome.Created);

    /// <summary>How many prompts were already stored with identical content.</summary>
    public int Unchanged => Entries.Count(e => e.Outcome == ImportOutcome.Unchanged);

    /// <summary>How many versions the import made active.</summary>
    public int Activated => Entries.Count(e => e.Activated);

    /// <summary>A one-line summary.</summary>
    /// <returns>For example <c>12 prompt(s): 3 created, 9 unchanged, 3 activated</c>.</returns>
    public override string ToString() => $"{Entries.Count} prompt(s): {Created} created, {Unchanged} unchanged, {Activated} activated";
}

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>What the catalog says about a database before adoption: the inputs of a plan.</summary>
internal sealed class AdoptionFacts
{
    public required AdoptionState State { get; init; }

    /// <summary>Whether the library's history shows its schema in <c>public</c> already.</summary>
    public required bool OwnSchema { get; init; }

    /// <summary>Legacy tables in <c>public</c> to move into the backup schema.</summary>
    public required IReadOnlyList<LegacyTableShape> ToMove { get; init; }

    /// <summary>Legacy tables already in the backup schema (recorded as moved by the journal).</summary>
    public required IReadOnlyList<LegacyTableShape> InBackup { get; init; }

    /// <summary>Views over the tables to move, with their kind (<c>v</c> or <c>m</c>).</summary>
    public required IReadOnlyList<(string Name, char Kind)> Views { get; init; }

    /// <summary>Indexes of kept tables to rename: (index, table, new name).</summary>
    public required IReadOnlyList<(string Index, string Table, string NewName)> IndexRenames { get; init; }

    public required IReadOnlyList<AdoptionTable> Kept { get; init; }

    public required IReadOnlyList<AdoptionTable> Unsupported { get; init; }

    public required IReadOnlyList<string> ForeignKeysIntoBackup { get; init; }

    /// <summary>Consolidated tables the journal records as copied.</summary>
    public required IReadOnlySet<string> Copied { get; init; }

    public required IReadOnlyList<string> Blockers { get; init; }

    /// <summary>Every legacy table to consolidate, wherever it is now, by name.</summary>
    public IReadOnlyDictionary<string, LegacyTableShape> Legacy =>
        InBackup.Concat(ToMove).GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
}

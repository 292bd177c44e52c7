using Exai.Supabase.Migrations.Internal;
using Exai.Supabase.Persistence.Internal;
using Npgsql;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// Reads the live catalog (never a version table: legacy shapes differ and some tables were made by hand) and tells
/// what adoption has to do: which tables move, which stay, what stands in the way.
/// </summary>
internal static class AdoptionInspector
{
    /// <summary>Postgres identifiers are cut at 63 bytes.</summary>
    private const int MaxIdentifierLength = 63;

    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The transaction to read in, if any.</param>
    /// <param name="schemaObjectNames">The names of the relations and types the migrations create in <c>public</c>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<AdoptionFacts> InspectAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<string> schemaObjectNames, CancellationToken cancellationToken)
    {
        var own = await SchemaInspector.IsOwnSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
        var publicTables = await LegacyCatalog.TablesAsync(connection, transaction, TableNames.Schema, cancellationToken).ConfigureAwait(false);
        var journal = await Journal.ReadAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var complete = journal.Any(j => j.Step == Journal.Complete);
        var copied = journal.Where(j => j.Step == Journal.CopiedStep).Select(j => j.Object).ToHashSet(StringComparer.Ordinal);
        var movedBefore = journal.Where(j => j.Step == Journal.Moved).Select(j => j.Object).Distinct(StringComparer.Ordinal).ToList();

        var replacedNames = own ? LegacyNames.LegacyOnly : LegacyNames.Replaced;
        var toMoveNames = publicTables.Where(t => replacedNames.Contains(t, StringComparer.Ordinal)).ToList();
        var blockers = new List<string>();
        var backupTables = await LegacyCatalog.TablesAsync(connection, transaction, LegacyNames.BackupSchema, cancellationToken).ConfigureAwait(false);

        if (complete && toMoveNames.Count == 0)
        {
            // Adopted before and nothing new: the common case at every start-up, answered without counting rows.
            return new AdoptionFacts
            {
                State = AdoptionState.Adopted,
                OwnSchema = own,
                ToMove = [],
                InBackup = [],
                Views = [],
                IndexRenames = [],
                Kept = [],
                Unsupported = [],
                ForeignKeysIntoBackup = [],
                Copied = copied,
                Blockers = [],
            };
        }

        var toMove = new List<LegacyTableShape>();
        foreach (var name in toMoveNames)
        {
            toMove.Add(await LegacyCatalog.ShapeAsync(connection, transaction, TableNames.Schema, name, cancellationToken).ConfigureAwait(false));
        }

        var inBackup = new List<LegacyTableShape>();
        foreach (var name in movedBefore.Where(backupTables.Contains))
        {
            inBackup.Add(await LegacyCatalog.ShapeAsync(connection, transaction, LegacyNames.BackupSchema, name, cancellationToken).ConfigureAwait(false));
        }

        var unsupported = new List<AdoptionTable>();
        if (!own)
        {
            foreach (var name in publicTables.Where(t => LegacyNames.Unsupported.Contains(t, StringComparer.Ordinal)))
            {
                var shape = await LegacyCatalog.ShapeAsync(connection, transaction, TableNames.Schema, name, cancellationToken).ConfigureAwait(false);
                unsupported.Add(new AdoptionTable(name, TableNames.Schema, shape.Rows, AdoptionDisposition.Unsupported, null));
                blockers.Add(
                    $"public.{name} is not the library's table and adoption has nothing to consolidate it into; " +
                    $"rename it or move it to another schema (ALTER TABLE public.{name} SET SCHEMA …), then adopt.");
            }
        }

        foreach (var name in toMoveNames.Where(backupTables.Contains))
        {
            blockers.Add(
                $"Both public.{name} and {LegacyNames.BackupSchema}.{name} exist: the backup schema already holds a table of that name " +
                (complete ? "from an earlier adoption, and a legacy table of that name appeared in public since. " : ". ") +
                $"Rename or drop one of them, then adopt.");
        }

        if (complete && toMoveNames.Count > 0 && toMoveNames.All(t => !backupTables.Contains(t)))
        {
            blockers.Add(
                $"The database was adopted before, and legacy tables appeared in public since ({string.Join(", ", toMoveNames)}). " +
                "Adoption does not merge a second legacy copy into adopted data; move them aside (or drop them), then run again.");
        }

        var views = toMoveNames.Count == 0
            ? []
            : await LegacyCatalog.DependentViewsAsync(connection, transaction, TableNames.Schema, toMoveNames, cancellationToken).ConfigureAwait(false);

        // Names the migrations are about to create that something staying in public already has.
        var renames = new List<(string, string, string)>();
        if (!own && toMoveNames.Count > 0)
        {
            var named = await LegacyCatalog.NamedObjectsAsync(connection, transaction, TableNames.Schema, schemaObjectNames, cancellationToken).ConfigureAwait(false);
            var moving = toMoveNames.Concat(views.Select(v => v.Name)).ToHashSet(StringComparer.Ordinal);
            var taken = named.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, kind, table) in named)
            {
                if (moving.Contains(name) || (kind == 'i' && table is not null && moving.Contains(table))
                    || unsupported.Any(u => u.Name == name || u.Name == table))
                {
                    // Moving with a legacy table, or already reported as unsupported.
                    continue;
                }

                if (kind == 'i' && table is not null)
                {
                    renames.Add((name, table, FreeName(name, taken)));
                    continue;
                }

                blockers.Add(
                    $"public.{name} ({Describe(kind)}) stays in public but the new schema creates an object of that name; rename it, then adopt.");
            }
        }

        var moveSet = toMoveNames.ToHashSet(StringComparer.Ordinal);
        var keptNames = publicTables
            .Where(t => !moveSet.Contains(t) && !LegacyNames.Unsupported.Contains(t, StringComparer.Ordinal))
            .Where(t => !own || !TableNames.All.Contains(t, StringComparer.Ordinal))
            .Where(t => t != TableNames.MigrationsHistory)
            .ToList();
        var kept = new List<AdoptionTable>();
        if (toMoveNames.Count > 0 || inBackup.Count > 0)
        {
            foreach (var name in keptNames)
            {
                var rows = await LegacyCatalog.ScalarAsync<long>(connection, transaction, $"SELECT count(*) FROM {Sql.Qualified(TableNames.Schema, name)}", cancellationToken)
                    .ConfigureAwait(false);
                kept.Add(new AdoptionTable(name, TableNames.Schema, rows, AdoptionDisposition.Kept, null));
            }
        }

        var incoming = toMoveNames.Count == 0
            ? []
            : await LegacyCatalog.IncomingForeignKeysAsync(connection, transaction, TableNames.Schema, toMoveNames, cancellationToken).ConfigureAwait(false);

        var state =
            blockers.Count > 0 ? AdoptionState.Blocked
            : toMove.Count > 0 ? AdoptionState.Legacy
            : inBackup.Count > 0 && !complete ? AdoptionState.Resumable
            : complete ? AdoptionState.Adopted
            : AdoptionState.NotLegacy;

        return new AdoptionFacts
        {
            State = state,
            OwnSchema = own,
            ToMove = toMove,
            InBackup = inBackup,
            Views = views,
            IndexRenames = renames,
            Kept = kept,
            Unsupported = unsupported,
            ForeignKeysIntoBackup = incoming,
            Copied = copied,
            Blockers = blockers,
        };
    }

    /// <summary>Where each legacy table's rows go.</summary>
    public static string TargetOf(string legacyTable) =>
        Consolidation.Order.First(o => o.Sources.Contains(legacyTable, StringComparer.Ordinal)).Target;

    private static string FreeName(string name, HashSet<string> taken)
    {
        for (var n = 0; ; n++)
        {
            var suffix = n == 0 ? "_legacy" : $"_legacy{n}";
            var candidate = name.Length + suffix.Length > MaxIdentifierLength ? name[..(MaxIdentifierLength - suffix.Length)] + suffix : name + suffix;
            if (taken.Add(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Describe(char kind) => kind switch
    {
        'r' or 'p' => "a table",
        'v' => "a view",
        'm' => "a materialized view",
        'S' => "a sequence",
        'T' => "a type",
        'f' => "a foreign table",
        _ => "a relation",
    };
}

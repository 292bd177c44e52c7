using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>Applies a subscription's <see cref="ChangeFilter"/>s to a decoded change (see there for the rules).</summary>
internal static class ChangeFilters
{
    public static bool Pass(IReadOnlyList<ChangeFilter> filters, ChangeEvent change, RelationInfo table)
    {
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            if (filter.Table is not null && !string.Equals(filter.Table, change.Table, StringComparison.Ordinal))
            {
                continue;
            }

            if (!table.Index.ContainsKey(filter.Column))
            {
                return false; // the table has no such column: nothing of it can equal the value
            }

            if (!Passes(filter, change))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a change may reach a subscriber acting for <paramref name="user"/> (always, in the service scope). The
    /// replication stream knows nothing of row-level security, so the rule the policies apply is applied here: rows of
    /// the tables shared with users (<see cref="TableNames.SharedWithUsers"/>), and rows whose <c>user_id</c> is the
    /// user's — for an update both before and after, where the old row carries it. A change that does not carry its
    /// row's owner (a delete from a table without <c>REPLICA IDENTITY FULL</c>, a truncate, a table without
    /// <c>user_id</c> such as <c>provider_file_uploads</c>) is withheld.
    /// </summary>
    public static bool VisibleTo(Guid? user, ChangeEvent change, RelationInfo table)
    {
        if (user is not { } owner)
        {
            return true;
        }

        if (string.Equals(change.Schema, TableNames.Schema, StringComparison.Ordinal) && TableNames.SharedWithUsers.Contains(change.Table, StringComparer.Ordinal))
        {
            return true;
        }

        if (!table.Index.ContainsKey(ColumnNames.UserId))
        {
            return false;
        }

        return change.Kind switch
        {
            ChangeKind.Insert => Owns(change.NewValues, owner),
            ChangeKind.Update => Owns(change.NewValues, owner) && (change.OldValues is not { } old || !old.ContainsKey(ColumnNames.UserId) || Owns(old, owner)),
            ChangeKind.Delete => change.OldValues is { } gone && Owns(gone, owner),
            _ => false,
        };
    }

    private static bool Owns(IReadOnlyDictionary<string, object?> row, Guid owner) =>
        row.TryGetValue(ColumnNames.UserId, out var value) && value is Guid id && id == owner;

    private static bool Passes(ChangeFilter filter, ChangeEvent change)
    {
        var known = false;
        if (change.Kind is ChangeKind.Insert or ChangeKind.Update && change.NewValues.TryGetValue(filter.Column, out var value))
        {
            known = true;
            if (ValueComparer.Matches(value, filter.Value))
            {
                return true;
            }
        }

        if (change.Kind is ChangeKind.Update or ChangeKind.Delete && change.OldValues is { } old && old.TryGetValue(filter.Column, out var oldValue))
        {
            known = true;
            if (ValueComparer.Matches(oldValue, filter.Value))
            {
                return true;
            }
        }

        // A truncate concerns every row; a change whose rows do not carry the column cannot be judged. Both pass.
        return !known;
    }
}

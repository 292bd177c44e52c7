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

using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// One decoded row: a read-only column → value map over the relation's shared column names, in column order.
/// Columns whose value was not sent (an unchanged out-of-line value; key-only old rows) are absent.
/// </summary>
internal sealed class RowValues : IReadOnlyDictionary<string, object?>
{
    private readonly RelationInfo _relation;
    private readonly object?[] _values;
    private readonly bool[]? _present;

    public RowValues(RelationInfo relation, object?[] values, bool[]? present)
    {
        _relation = relation;
        _values = values;
        _present = present;
        Count = present is null ? values.Length : present.Count(p => p);
    }

    public int Count { get; }

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<object?> Values => this.Select(p => p.Value);

    public object? this[string key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The change carries no column '{key}'.");

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value)
    {
        if (_relation.Index.TryGetValue(key, out var i) && i < _values.Length && (_present is null || _present[i]))
        {
            value = _values[i];
            return true;
        }

        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (_present is null || _present[i])
            {
                yield return new KeyValuePair<string, object?>(_relation.Names[i], _values[i]);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{Count} column(s)";
}

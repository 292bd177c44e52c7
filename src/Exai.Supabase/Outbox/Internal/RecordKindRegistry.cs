namespace Exai.Supabase.Outbox.Internal;

/// <summary>The registered record kinds, by name.</summary>
internal sealed class RecordKindRegistry
{
    private readonly Dictionary<string, RecordKind> _byName;

    public RecordKindRegistry(IEnumerable<RecordKind> kinds)
    {
        _byName = new Dictionary<string, RecordKind>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (!_byName.TryAdd(kind.Name, kind))
            {
                throw new InvalidOperationException($"Two record kinds are named '{kind.Name}'.");
            }
        }
    }

    public RecordKind this[string name] =>
        _byName.TryGetValue(name, out var kind) ? kind : throw new KeyNotFoundException($"No record kind is named '{name}'.");

    public bool TryGet(string name, out RecordKind kind) => _byName.TryGetValue(name, out kind!);
}

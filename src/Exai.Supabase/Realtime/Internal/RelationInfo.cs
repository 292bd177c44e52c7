namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// What pgoutput's relation message says about a table, kept per relation id for the life of a connection (the
/// server sends it again before the first change after a schema change): names, types and the converter per column.
/// </summary>
internal sealed class RelationInfo
{
    public RelationInfo(uint id, string schema, string name, bool fullIdentity, IReadOnlyList<(string Name, uint TypeOid, bool IsKey)> columns, bool subscribed)
    {
        Id = id;
        Schema = schema;
        Name = name;
        FullIdentity = fullIdentity;
        Subscribed = subscribed;
        Names = new string[columns.Count];
        Converters = new Func<string, object?>[columns.Count];
        IsKey = new bool[columns.Count];
        Index = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            Names[i] = columns[i].Name;
            Converters[i] = PgText.ConverterFor(columns[i].TypeOid);
            IsKey[i] = columns[i].IsKey;
            Index[columns[i].Name] = i;
        }
    }

    public uint Id { get; }

    public string Schema { get; }

    public string Name { get; }

    /// <summary>Whether old rows carry every column (<c>REPLICA IDENTITY FULL</c>).</summary>
    public bool FullIdentity { get; }

    /// <summary>Whether the subscriber asked for this table; changes of other tables are skipped unread.</summary>
    public bool Subscribed { get; }

    public string[] Names { get; }

    public Func<string, object?>[] Converters { get; }

    public Dictionary<string, int> Index { get; }

    /// <summary>Per column: part of the replica identity key (what a key-only old row carries).</summary>
    public bool[] IsKey { get; }
}

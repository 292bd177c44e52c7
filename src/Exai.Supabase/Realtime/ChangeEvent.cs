using Exai.Supabase.Realtime.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Realtime;

/// <summary>
/// One committed change of one row, in commit order. Values are decoded from pgoutput's text format: <c>uuid</c> →
/// <see cref="Guid"/>, <c>smallint</c>/<c>integer</c> → <see cref="short"/>/<see cref="int"/>, <c>bigint</c> →
/// <see cref="long"/>, <c>boolean</c> → <see cref="bool"/>, <c>numeric</c> → <see cref="decimal"/>,
/// <c>real</c>/<c>double precision</c> → <see cref="float"/>/<see cref="double"/>, <c>timestamptz</c> →
/// <see cref="DateTimeOffset"/>, <c>timestamp</c> → <see cref="DateTime"/>, <c>date</c> → <see cref="DateOnly"/>,
/// <c>json</c>/<c>jsonb</c> → <see cref="System.Text.Json.Nodes.JsonNode"/>, <c>text[]</c> → <see cref="string"/>[];
/// SQL NULL → <see langword="null"/>; every other type (enums, other arrays, ranges, <c>bytea</c> …) stays the
/// server's text.
/// </summary>
public sealed class ChangeEvent
{
    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>(0);
    private readonly ChangeStreamState? _stream;

    internal ChangeEvent(
        ChangeStreamState? stream,
        ChangeKind kind,
        string schema,
        string table,
        IReadOnlyDictionary<string, object?>? newValues,
        IReadOnlyDictionary<string, object?>? oldValues,
        bool oldValuesComplete,
        DateTimeOffset commitTime,
        NpgsqlLogSequenceNumber lsn,
        NpgsqlLogSequenceNumber commitLsn,
        uint transactionId)
    {
        _stream = stream;
        Kind = kind;
        Schema = schema;
        Table = table;
        NewValues = newValues ?? NoValues;
        OldValues = oldValues;
        OldValuesComplete = oldValuesComplete;
        CommitTime = commitTime;
        Lsn = lsn;
        CommitLsn = commitLsn;
        TransactionId = transactionId;
        AcknowledgeLsn = lsn;
    }

    /// <summary>What happened.</summary>
    public ChangeKind Kind { get; }

    /// <summary>The table's schema (<c>public</c> for the library's tables); empty for <see cref="ChangeKind.Gap"/>.</summary>
    public string Schema { get; }

    /// <summary>The table; empty for <see cref="ChangeKind.Gap"/>.</summary>
    public string Table { get; }

    /// <summary>
    /// The row after an insert or update, column name → value. Empty for deletes and truncates. A large value an
    /// update left unchanged (stored out of line, TOAST) is absent unless the old row carries it.
    /// </summary>
    public IReadOnlyDictionary<string, object?> NewValues { get; }

    /// <summary>
    /// The row before an update or delete: every column on tables with <c>REPLICA IDENTITY FULL</c>, otherwise the
    /// primary key only (and, for an update, only when the key changed). <see langword="null"/> when not available.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? OldValues { get; }

    /// <summary>Whether <see cref="OldValues"/> holds the whole old row (<c>REPLICA IDENTITY FULL</c>) rather than its key.</summary>
    public bool OldValuesComplete { get; }

    /// <summary>When the transaction that made the change committed (server clock).</summary>
    public DateTimeOffset CommitTime { get; }

    /// <summary>The change's position in the write-ahead log; acknowledge through it with <see cref="ChangeFeedSubscription.AcknowledgeAsync"/>.</summary>
    public NpgsqlLogSequenceNumber Lsn { get; }

    /// <summary>The position of the commit of the change's transaction; every event of a transaction shares it.</summary>
    public NpgsqlLogSequenceNumber CommitLsn { get; }

    /// <summary>The id of the transaction that made the change; 0 for <see cref="ChangeKind.Gap"/>.</summary>
    public uint TransactionId { get; }

    /// <summary>
    /// The position confirmed to the server when this event is acknowledged: the end of its transaction when it is
    /// the last delivered event of it (the slot resumes after the transaction), otherwise the change itself (the slot
    /// resumes with its transaction, delivering it again).
    /// </summary>
    internal NpgsqlLogSequenceNumber AcknowledgeLsn { get; set; }

    /// <summary>
    /// Marks this event, and every event before it, as processed: a permanent slot resumes after it. Cheap (no I/O);
    /// the position reaches the server with the next status update. Thread-safe; acknowledging an older event
    /// after a newer one changes nothing.
    /// </summary>
    public void Acknowledge() => _stream?.Acknowledge(AcknowledgeLsn);

    /// <summary>Describes the event without its values (which may hold private text).</summary>
    /// <returns>Kind, table, transaction and position.</returns>
    public override string ToString() => $"{Kind} {Schema}.{Table} (xid {TransactionId}, lsn {Lsn})";
}

using NpgsqlTypes;

namespace Exai.Supabase.Realtime;

/// <summary>A logical replication slot and the write-ahead log it keeps on the server.</summary>
/// <param name="Name">The slot's name.</param>
/// <param name="Plugin">The output plugin (<c>pgoutput</c> for the change feed).</param>
/// <param name="Temporary">Whether the slot disappears with its connection.</param>
/// <param name="Active">Whether a subscriber is connected to it now.</param>
/// <param name="ConfirmedFlushLsn">The position acknowledged by its subscriber; <see langword="null"/> when unknown.</param>
/// <param name="RetainedWalBytes">Bytes of write-ahead log the server keeps for the slot (current position minus its restart position).</param>
/// <param name="WalStatus">The server's <c>wal_status</c>: <c>reserved</c>, <c>extended</c>, <c>unreserved</c> or <c>lost</c>.</param>
public sealed record ReplicationSlotInfo(
    string Name,
    string Plugin,
    bool Temporary,
    bool Active,
    NpgsqlLogSequenceNumber? ConfirmedFlushLsn,
    long RetainedWalBytes,
    string? WalStatus);

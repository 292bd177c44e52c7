namespace Exai.Supabase.Testing.Internal;

/// <summary>The server settings every harness-started server gets, whatever its kind.</summary>
internal static class ServerSettings
{
    public static IReadOnlyDictionary<string, string> For(PostgresServerOptions options)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // The change feed (logical replication) needs these.
            ["wal_level"] = "logical",
            ["max_wal_senders"] = "20",
            ["max_replication_slots"] = "20",
            // Parallel fixtures each hold a pool.
            ["max_connections"] = "300",
            // A throwaway server: durability against power loss buys nothing here, so nothing is forced to disk.
            // synchronous_commit stays on: a commit must reach the OS before it is acknowledged, or a server killed
            // with pg_ctl -m immediate (the outage tests) would lose acknowledged transactions.
            ["fsync"] = "off",
            ["full_page_writes"] = "off",
        };
        foreach (var (name, value) in options.Settings)
        {
            settings[name] = value;
        }

        return settings;
    }
}

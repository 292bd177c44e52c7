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
            // A throwaway server: durability against power loss buys nothing here. Process crashes
            // (pg_ctl -m immediate) still recover from the WAL in the OS page cache.
            ["fsync"] = "off",
            ["synchronous_commit"] = "off",
            ["full_page_writes"] = "off",
        };
        foreach (var (name, value) in options.Settings)
        {
            settings[name] = value;
        }

        return settings;
    }
}

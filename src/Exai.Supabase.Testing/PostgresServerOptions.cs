namespace Exai.Supabase.Testing;

/// <summary>Settings for <see cref="PostgresServer.AcquireAsync"/> and <see cref="PostgresServer.StartPrivateAsync"/>.</summary>
public sealed class PostgresServerOptions
{
    /// <summary>The container image used when a Docker engine answers.</summary>
    /// <value>The default value is <c>postgres:17.6-alpine</c>, the major version Supabase projects run.</value>
    public string ContainerImage { get; set; } = "postgres:17.6-alpine";

    /// <summary>Whether a Docker engine may be used at all.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowDocker { get; set; } = true;

    /// <summary>How long to wait for a server to accept connections.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Extra server settings (<c>name</c> → <c>value</c>) on top of the harness's own
    /// (<c>wal_level=logical</c>, replication slots, and durability relaxed for speed).
    /// </summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Receives progress lines (never written to standard output by the harness itself).</summary>
    public Action<string>? Log { get; set; }
}

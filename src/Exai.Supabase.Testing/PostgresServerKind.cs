namespace Exai.Supabase.Testing;

/// <summary>Where a <see cref="PostgresServer"/> came from.</summary>
public enum PostgresServerKind
{
    /// <summary>A server named by the <c>EXAI_TEST_POSTGRES</c> connection string; never stopped or restarted.</summary>
    Configured,

    /// <summary>A container started through Testcontainers on a Docker engine that answered.</summary>
    Container,

    /// <summary>A private cluster started from the PostgreSQL server binaries found on this machine.</summary>
    LocalCluster,
}

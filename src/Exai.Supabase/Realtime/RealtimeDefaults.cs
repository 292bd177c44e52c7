namespace Exai.Supabase.Realtime;

/// <summary>The default values of <see cref="RealtimeOptions"/>, in one place.</summary>
public static class RealtimeDefaults
{
    /// <summary>512 MiB of write-ahead log kept for one slot before a warning.</summary>
    public const long RetainedWalWarningBytes = 512L * 1024 * 1024;

    /// <summary><c>exai_</c>.</summary>
    public const string SlotNamePrefix = "exai_";

    /// <summary>1 s.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);

    /// <summary>250 ms.</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>30 s.</summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);

    /// <summary>1 minute.</summary>
    public static readonly TimeSpan SlotCheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>60 s.</summary>
    public static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(60);
}

namespace Exai.Supabase.Prompts;

/// <summary>The default values of <see cref="PromptOptions"/>, in one place.</summary>
public static class PromptDefaults
{
    /// <summary>10,000 cached lookups.</summary>
    public const int MaxCachedLookups = 10_000;

    /// <summary>The version label of a code fallback registered without one: <c>fallback</c>.</summary>
    public const string FallbackVersion = "fallback";

    /// <summary>60 s: the safety refresh behind change notifications (Langfuse's client cache TTL).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(60);

    /// <summary>2 s.</summary>
    public static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>250 ms.</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>30 s.</summary>
    public static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);
}

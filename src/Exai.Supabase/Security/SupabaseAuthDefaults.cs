namespace Exai.Supabase.Security;

/// <summary>The default values of <see cref="SupabaseAuthOptions"/>.</summary>
public static class SupabaseAuthDefaults
{
    /// <summary>Supabase's audience for signed-in users.</summary>
    public const string Audience = "authenticated";

    /// <summary>30 seconds.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>10 minutes.</summary>
    public static readonly TimeSpan KeysCacheDuration = TimeSpan.FromMinutes(10);

    /// <summary>30 seconds.</summary>
    public static readonly TimeSpan KeysRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>10 seconds.</summary>
    public static readonly TimeSpan KeysFetchTimeout = TimeSpan.FromSeconds(10);
}

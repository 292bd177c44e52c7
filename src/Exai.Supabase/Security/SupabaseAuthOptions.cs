namespace Exai.Supabase.Security;

/// <summary>
/// How Supabase access tokens are verified. Bound from <c>Exai:Auth</c>. Set <see cref="ProjectUrl"/> and the library
/// derives the issuer and the JWKS address; set <see cref="JwtSecret"/> for projects that still sign with the legacy
/// shared secret (HS256). Both may be set during a key rotation.
/// </summary>
public sealed class SupabaseAuthOptions
{
    /// <summary>The project's URL, <c>https://&lt;ref&gt;.supabase.co</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? ProjectUrl { get; set; }

    /// <summary>The legacy JWT secret (HS256). Never logged or shown by <see cref="ToString"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? JwtSecret { get; set; }

    /// <summary>Where the asymmetric signing keys are published.</summary>
    /// <value>The default value is <c>{ProjectUrl}/auth/v1/.well-known/jwks.json</c> when <see cref="ProjectUrl"/> is set.</value>
    public Uri? JwksUri { get; set; }

    /// <summary>The expected <c>iss</c> claim; not checked when null.</summary>
    /// <value>The default value is <c>{ProjectUrl}/auth/v1</c> when <see cref="ProjectUrl"/> is set.</value>
    public string? Issuer { get; set; }

    /// <summary>The accepted <c>aud</c> values.</summary>
    /// <value>The default value is <c>authenticated</c>.</value>
    public IList<string> Audiences { get; } = [SupabaseAuthDefaults.Audience];

    /// <summary>The clock skew allowed on <c>exp</c> and <c>nbf</c>.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan ClockSkew { get; set; } = SupabaseAuthDefaults.ClockSkew;

    /// <summary>How long fetched signing keys are used before they are fetched again.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan KeysCacheDuration { get; set; } = SupabaseAuthDefaults.KeysCacheDuration;

    /// <summary>The least time between two fetches caused by tokens naming an unknown key (rotation).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan KeysRefreshInterval { get; set; } = SupabaseAuthDefaults.KeysRefreshInterval;

    /// <summary>The time allowed for fetching the signing keys.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan KeysFetchTimeout { get; set; } = SupabaseAuthDefaults.KeysFetchTimeout;

    /// <summary>The JWKS address in effect.</summary>
    public Uri? EffectiveJwksUri => JwksUri ?? (ProjectUrl is null ? null : new Uri(ProjectUrl, "/auth/v1/.well-known/jwks.json"));

    /// <summary>The issuer in effect.</summary>
    public string? EffectiveIssuer => Issuer ?? (ProjectUrl is null ? null : new Uri(ProjectUrl, "/auth/v1").ToString().TrimEnd('/'));

    /// <summary>Describes the settings without the secret.</summary>
    /// <returns>A description safe to log.</returns>
    public override string ToString() =>
        $"SupabaseAuthOptions {{ ProjectUrl = {ProjectUrl}, JwtSecret = {(string.IsNullOrEmpty(JwtSecret) ? "(not set)" : "***")}, " +
        $"JwksUri = {EffectiveJwksUri}, Issuer = {EffectiveIssuer}, Audiences = [{string.Join(", ", Audiences)}] }}";
}

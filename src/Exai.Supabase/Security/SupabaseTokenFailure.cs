namespace Exai.Supabase.Security;

/// <summary>Which check a Supabase access token failed.</summary>
public enum SupabaseTokenFailure
{
    /// <summary>No token was given.</summary>
    Missing,

    /// <summary>The text is not a compact JWT.</summary>
    Malformed,

    /// <summary>The token's <c>exp</c> has passed (beyond the allowed clock skew).</summary>
    Expired,

    /// <summary>The token's <c>nbf</c> is still in the future.</summary>
    NotYetValid,

    /// <summary>The token's <c>aud</c> is not one of the accepted audiences.</summary>
    WrongAudience,

    /// <summary>The token's <c>iss</c> is not the project's issuer.</summary>
    WrongIssuer,

    /// <summary>The signature does not verify (a forged or tampered token, or a wrong secret).</summary>
    BadSignature,

    /// <summary>The token names a signing key (<c>kid</c>) the project does not publish.</summary>
    UnknownSigningKey,

    /// <summary>The token has no user (<c>sub</c> claim), as Supabase's anon and service keys do not.</summary>
    MissingSubject,

    /// <summary>Neither a JWT secret nor a JWKS address is configured.</summary>
    NotConfigured,

    /// <summary>The project's signing keys (JWKS) could not be fetched.</summary>
    KeysUnavailable,
}

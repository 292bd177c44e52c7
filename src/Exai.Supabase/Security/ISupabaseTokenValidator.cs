namespace Exai.Supabase.Security;

/// <summary>Turns a Supabase access token into the user scope the library acts in.</summary>
public interface ISupabaseTokenValidator
{
    /// <summary>
    /// Verifies the token's signature (the project's HS256 secret or its published signing keys), expiry, audience
    /// and issuer, and returns a scope acting as its <c>sub</c> with its claims.
    /// </summary>
    /// <param name="accessToken">The token, with or without a <c>Bearer </c> prefix.</param>
    /// <param name="cancellationToken">Cancels fetching the signing keys.</param>
    /// <returns>The user scope; begin it with <see cref="ExaiScope.Begin"/>.</returns>
    /// <exception cref="SupabaseTokenException">A check failed; <see cref="SupabaseTokenException.Failure"/> says which.</exception>
    Task<ExaiScope> ValidateAsync(string? accessToken, CancellationToken cancellationToken = default);
}

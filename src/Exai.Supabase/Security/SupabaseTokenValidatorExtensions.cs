namespace Exai.Supabase.Security;

/// <summary>Acting for the user of a Supabase access token, for the length of one piece of work.</summary>
/// <remarks>
/// <see cref="ExaiScope.Begin"/> sets the scope for the calling flow, so it must be called in the method that does the
/// work (an <c>async</c> helper that begins a scope and returns leaves its caller in the scope it had). These helpers
/// validate the token and run the work inside the user's scope; the scope ends with the work.
/// <code>
/// var answer = await validator.RunAsUserAsync(request.Headers.Authorization, async ct =>
/// {
///     var thread = await store.GetOrCreateAsync(continuationId, cancellationToken: ct);
///     return await store.GetHistoryAsync(continuationId, ct);   // only this user's rows
/// }, cancellationToken);
/// </code>
/// </remarks>
public static class SupabaseTokenValidatorExtensions
{
    /// <summary>Validates <paramref name="accessToken"/> and runs <paramref name="work"/> acting as its user.</summary>
    /// <typeparam name="T">The work's result.</typeparam>
    /// <param name="validator">The validator.</param>
    /// <param name="accessToken">The access token, with or without its <c>Bearer </c> prefix.</param>
    /// <param name="work">The work; <see cref="ExaiScope.Current"/> is the user's scope while it runs.</param>
    /// <param name="cancellationToken">Cancels the validation and is passed to the work.</param>
    /// <returns>The work's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="validator"/> or <paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="SupabaseTokenException">The token failed a check (the work did not run); <see cref="SupabaseTokenException.Failure"/> says which.</exception>
    public static async Task<T> RunAsUserAsync<T>(this ISupabaseTokenValidator validator, string? accessToken, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(work);
        var scope = await validator.ValidateAsync(accessToken, cancellationToken).ConfigureAwait(false);
        using (ExaiScope.Begin(scope))
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Validates <paramref name="accessToken"/> and runs <paramref name="work"/> acting as its user.</summary>
    /// <param name="validator">The validator.</param>
    /// <param name="accessToken">The access token, with or without its <c>Bearer </c> prefix.</param>
    /// <param name="work">The work; <see cref="ExaiScope.Current"/> is the user's scope while it runs.</param>
    /// <param name="cancellationToken">Cancels the validation and is passed to the work.</param>
    /// <returns>A task that completes with the work.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="validator"/> or <paramref name="work"/> is <see langword="null"/>.</exception>
    /// <exception cref="SupabaseTokenException">The token failed a check (the work did not run); <see cref="SupabaseTokenException.Failure"/> says which.</exception>
    public static async Task RunAsUserAsync(this ISupabaseTokenValidator validator, string? accessToken, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(work);
        var scope = await validator.ValidateAsync(accessToken, cancellationToken).ConfigureAwait(false);
        using (ExaiScope.Begin(scope))
        {
            await work(cancellationToken).ConfigureAwait(false);
        }
    }
}

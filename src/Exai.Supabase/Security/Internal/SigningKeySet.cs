using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Exai.Supabase.Security.Internal;

/// <summary>
/// The project's published signing keys (JWKS), cached for <see cref="SupabaseAuthOptions.KeysCacheDuration"/> and
/// fetched again early when a token names an unknown key — at most once per
/// <see cref="SupabaseAuthOptions.KeysRefreshInterval"/>, so forged key ids cannot make us hammer the endpoint. A failed
/// fetch keeps serving the last keys it had.
/// </summary>
internal sealed class SigningKeySet(Uri address, SupabaseAuthOptions options, HttpClient http, TimeProvider time, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<SecurityKey>? _keys;
    private DateTimeOffset _fetchedAt;
    private DateTimeOffset _lastEarlyFetch = DateTimeOffset.MinValue;

    public async Task<IReadOnlyList<SecurityKey>> GetAsync(bool keyMissing, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_keys is { } current && now - _fetchedAt < options.KeysCacheDuration
            && (!keyMissing || now - _lastEarlyFetch < options.KeysRefreshInterval))
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            now = time.GetUtcNow();
            if (_keys is { } fresh && now - _fetchedAt < options.KeysCacheDuration
                && (!keyMissing || now - _lastEarlyFetch < options.KeysRefreshInterval))
            {
                return fresh;
            }

            if (keyMissing)
            {
                _lastEarlyFetch = now;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(options.KeysFetchTimeout);
                var json = await http.GetStringAsync(address, timeout.Token).ConfigureAwait(false);
                _keys = [.. new JsonWebKeySet(json).GetSigningKeys()];
                _fetchedAt = now;
                SecurityLog.KeysFetched(logger, _keys.Count, address);
                return _keys;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or System.Text.Json.JsonException)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_keys is { } stale)
                {
                    SecurityLog.KeysStale(logger, address, ex.Message);
                    return stale;
                }

                throw new SupabaseTokenException(SupabaseTokenFailure.KeysUnavailable, $"The signing keys at {address} could not be fetched ({ex.Message}).", ex);
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Exai.Supabase.Security.Internal;

/// <summary>
/// Verifies Supabase access tokens with Microsoft.IdentityModel (no hand-rolled crypto): HS256 with the project's JWT
/// secret, or the asymmetric keys the project publishes as JWKS; then expiry, audience, issuer and subject.
/// </summary>
internal sealed class SupabaseTokenValidator : ISupabaseTokenValidator, IDisposable
{
    private const string BearerPrefix = "Bearer ";
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SupabaseAuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly SigningKeySet? _published;
    private readonly SymmetricSecurityKey? _secret;

    public SupabaseTokenValidator(IOptions<ExaiSupabaseOptions> options, TimeProvider time, ILogger<SupabaseTokenValidator> logger)
    {
        _options = options.Value.Auth;
        _time = time;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        if (!string.IsNullOrEmpty(_options.JwtSecret))
        {
            _secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_options.JwtSecret));
        }

        if (_options.EffectiveJwksUri is { } address)
        {
            _published = new SigningKeySet(address, _options, _http, time, logger);
        }
    }

    public async Task<ExaiScope> ValidateAsync(string? accessToken, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ValidateCoreAsync(accessToken, cancellationToken).ConfigureAwait(false);
        }
        catch (SupabaseTokenException ex)
        {
            SecurityLog.TokenRefused(_logger, ex.Failure);
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    private static SupabaseTokenException Refused(SupabaseTokenFailure failure, string message, Exception? inner = null) =>
        new(failure, message, inner);

    private async Task<ExaiScope> ValidateCoreAsync(string? accessToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(accessToken))
        {
            throw Refused(SupabaseTokenFailure.Missing, "No access token was given.");
        }

        var token = accessToken.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? accessToken[BearerPrefix.Length..].Trim() : accessToken.Trim();
        if (token.Length == 0)
        {
            throw Refused(SupabaseTokenFailure.Missing, "No access token was given (only the Bearer prefix).");
        }
        if (!_handler.CanReadToken(token))
        {
            throw Refused(SupabaseTokenFailure.Malformed, "The access token is not a compact JWT (header.payload.signature).");
        }

        JsonWebToken jwt;
        try
        {
            jwt = _handler.ReadJsonWebToken(token);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException)
        {
            throw Refused(SupabaseTokenFailure.Malformed, "The access token's header or payload cannot be read.", ex);
        }

        if (_secret is null && _published is null)
        {
            throw Refused(SupabaseTokenFailure.NotConfigured, "No way to verify access tokens is configured: set ExaiSupabaseOptions.Auth.ProjectUrl (signing keys) or Auth.JwtSecret (legacy HS256 secret).");
        }

        var result = await CheckSignatureAsync(token, jwt, keyMissing: false, cancellationToken).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException && _published is not null && !result.KnownKeyIds.Contains(jwt.Kid ?? string.Empty))
        {
            // The project may have rotated its keys since we fetched them.
            result = await CheckSignatureAsync(token, jwt, keyMissing: true, cancellationToken).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            throw result.Exception switch
            {
                SecurityTokenSignatureKeyNotFoundException e when !string.IsNullOrEmpty(jwt.Kid) && !result.KnownKeyIds.Contains(jwt.Kid) =>
                    Refused(SupabaseTokenFailure.UnknownSigningKey, "The access token is signed with a key the project does not publish.", e),
                SecurityTokenSignatureKeyNotFoundException e => Refused(SupabaseTokenFailure.BadSignature, "The access token's signature does not verify with any of the project's keys: it was forged, altered, or signed with another secret.", e),
                SecurityTokenInvalidSignatureException e => Refused(SupabaseTokenFailure.BadSignature, "The access token's signature does not verify: it was forged, altered, or signed with another secret.", e),
                SecurityTokenInvalidAlgorithmException e => Refused(SupabaseTokenFailure.BadSignature, $"The access token is signed with an algorithm that is not accepted ({jwt.Alg}).", e),
                SecurityTokenInvalidAudienceException e => Refused(SupabaseTokenFailure.WrongAudience, $"The access token's audience is not one of: {string.Join(", ", _options.Audiences)}.", e),
                SecurityTokenInvalidIssuerException e => Refused(SupabaseTokenFailure.WrongIssuer, $"The access token's issuer is not {_options.EffectiveIssuer}.", e),
                SecurityTokenNoExpirationException e => Refused(SupabaseTokenFailure.Malformed, "The access token has no expiry (exp).", e),
                { } e => Refused(SupabaseTokenFailure.BadSignature, $"The access token was refused ({e.GetType().Name}).", e),
                null => Refused(SupabaseTokenFailure.Malformed, "The access token was refused."),
            };
        }

        CheckLifetime(jwt);
        if (!Guid.TryParse(jwt.Subject, out var userId) || userId == Guid.Empty)
        {
            throw Refused(SupabaseTokenFailure.MissingSubject, "The access token names no user (its sub claim is missing or not a UUID); anon and service keys cannot act as a user.");
        }

        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload)) as JsonObject;
        return ExaiScope.ForUser(userId, claims);
    }

    private async Task<(bool IsValid, Exception? Exception, HashSet<string> KnownKeyIds)> CheckSignatureAsync(string token, JsonWebToken jwt, bool keyMissing, CancellationToken cancellationToken)
    {
        var keys = new List<SecurityKey>();
        var algorithms = new List<string>();
        if (_secret is not null)
        {
            keys.Add(_secret);
            algorithms.Add(SecurityAlgorithms.HmacSha256);
        }

        if (_published is not null && !string.Equals(jwt.Alg, SecurityAlgorithms.HmacSha256, StringComparison.Ordinal))
        {
            keys.AddRange(await _published.GetAsync(keyMissing, cancellationToken).ConfigureAwait(false));
            algorithms.AddRange([SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256]);
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = algorithms,
            RequireSignedTokens = true,
            ValidateAudience = true,
            ValidAudiences = _options.Audiences,
            ValidateIssuer = _options.EffectiveIssuer is not null,
            ValidIssuer = _options.EffectiveIssuer,
            RequireExpirationTime = true,
            // Lifetime is checked against the injected clock below.
            ValidateLifetime = false,
        };
        var result = await _handler.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        var known = keys.Select(k => k.KeyId).Where(id => !string.IsNullOrEmpty(id)).ToHashSet(StringComparer.Ordinal);
        return (result.IsValid, result.Exception, known);
    }

    private void CheckLifetime(JsonWebToken jwt)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (jwt.ValidTo == DateTime.MinValue)
        {
            throw Refused(SupabaseTokenFailure.Malformed, "The access token has no expiry (exp).");
        }

        if (now > jwt.ValidTo + _options.ClockSkew)
        {
            throw Refused(SupabaseTokenFailure.Expired, $"The access token expired at {jwt.ValidTo:O}.");
        }

        if (jwt.ValidFrom != DateTime.MinValue && now + _options.ClockSkew < jwt.ValidFrom)
        {
            throw Refused(SupabaseTokenFailure.NotYetValid, $"The access token is not valid before {jwt.ValidFrom:O}.");
        }
    }
}

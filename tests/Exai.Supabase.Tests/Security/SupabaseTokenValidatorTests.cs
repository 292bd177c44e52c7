using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Exai.Supabase.Tests.Security;

public sealed class SupabaseTokenValidatorTests
{
    private const string Secret = "super-secret-jwt-token-with-at-least-32-characters-long";
    private const string Issuer = "http://127.0.0.1:54321/auth/v1";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task A_valid_HS256_token_becomes_a_scope_acting_as_its_user_with_its_claims()
    {
        var user = Guid.NewGuid();
        using var services = Build(o => o.JwtSecret = Secret);

        var scope = await Validator(services).ValidateAsync("Bearer " + Token(user, email: "a@example.com"));

        scope.UserId.Should().Be(user);
        scope.IsService.Should().BeFalse();
        scope.ClaimsJson.Should().Contain("\"email\":\"a@example.com\"").And.Contain("\"role\":\"authenticated\"");
    }

    [TestCase("expired", SupabaseTokenFailure.Expired)]
    [TestCase("not-yet-valid", SupabaseTokenFailure.NotYetValid)]
    [TestCase("wrong-audience", SupabaseTokenFailure.WrongAudience)]
    [TestCase("wrong-issuer", SupabaseTokenFailure.WrongIssuer)]
    [TestCase("wrong-key", SupabaseTokenFailure.BadSignature)]
    [TestCase("tampered", SupabaseTokenFailure.BadSignature)]
    [TestCase("unsigned", SupabaseTokenFailure.BadSignature)]
    [TestCase("no-subject", SupabaseTokenFailure.MissingSubject)]
    [TestCase("garbage", SupabaseTokenFailure.Malformed)]
    [TestCase("", SupabaseTokenFailure.Missing)]
    public async Task A_token_that_fails_a_check_is_refused_naming_the_check(string kind, SupabaseTokenFailure expected)
    {
        using var services = Build(o =>
        {
            o.JwtSecret = Secret;
            o.Issuer = Issuer;
        });
        var user = Guid.NewGuid();
        var token = kind switch
        {
            "expired" => Token(user, expires: Now.AddMinutes(-5)),
            "not-yet-valid" => Token(user, notBefore: Now.AddMinutes(10), expires: Now.AddHours(1)),
            "wrong-audience" => Token(user, audience: "anon"),
            "wrong-issuer" => Token(user, issuer: "https://evil.example/auth/v1"),
            "wrong-key" => Token(user, secret: Secret + "-but-another-one"),
            "tampered" => Tamper(Token(user), Guid.NewGuid()),
            "unsigned" => Unsigned(user),
            "no-subject" => Token(null, role: "anon"),
            "garbage" => "not.a.jwt",
            _ => kind,
        };

        var validate = () => Validator(services).ValidateAsync(token);

        var refusal = (await validate.Should().ThrowAsync<SupabaseTokenException>()).Which;
        refusal.Failure.Should().Be(expected);
        refusal.Message.Should().NotContain(Secret);
        if (token.Length > 20)
        {
            refusal.Message.Should().NotContain(token);
        }
    }

    [Test]
    public async Task Without_a_secret_or_signing_keys_nothing_can_be_verified()
    {
        using var services = Build(_ => { });

        var validate = () => Validator(services).ValidateAsync(Token(Guid.NewGuid()));

        (await validate.Should().ThrowAsync<SupabaseTokenException>()).Which.Failure.Should().Be(SupabaseTokenFailure.NotConfigured);
    }

    [Test]
    public async Task Tokens_signed_with_the_projects_published_keys_are_verified_and_a_rotation_is_picked_up()
    {
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rogue = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var firstKey = new ECDsaSecurityKey(first) { KeyId = "key-1" };
        var secondKey = new ECDsaSecurityKey(second) { KeyId = "key-2" };
        using var jwks = new JwksServer();
        jwks.Publish(firstKey);
        using var services = Build(o =>
        {
            o.ProjectUrl = jwks.ProjectUrl;
            o.KeysRefreshInterval = TimeSpan.Zero;
        });
        var user = Guid.NewGuid();

        (await Validator(services).ValidateAsync(Token(user, signing: new SigningCredentials(firstKey, SecurityAlgorithms.EcdsaSha256), issuer: jwks.Issuer))).UserId.Should().Be(user);

        jwks.Publish(firstKey, secondKey);
        var afterRotation = await Validator(services).ValidateAsync(Token(user, signing: new SigningCredentials(secondKey, SecurityAlgorithms.EcdsaSha256), issuer: jwks.Issuer));
        afterRotation.UserId.Should().Be(user);

        var forged = () => Validator(services).ValidateAsync(Token(user, signing: new SigningCredentials(new ECDsaSecurityKey(rogue) { KeyId = "key-1" }, SecurityAlgorithms.EcdsaSha256), issuer: jwks.Issuer));
        (await forged.Should().ThrowAsync<SupabaseTokenException>()).Which.Failure.Should().Be(SupabaseTokenFailure.BadSignature);
        var unknown = () => Validator(services).ValidateAsync(Token(user, signing: new SigningCredentials(new ECDsaSecurityKey(rogue) { KeyId = "key-9" }, SecurityAlgorithms.EcdsaSha256), issuer: jwks.Issuer));
        (await unknown.Should().ThrowAsync<SupabaseTokenException>()).Which.Failure.Should().Be(SupabaseTokenFailure.UnknownSigningKey);
    }

    [Test]
    public void The_options_never_show_the_secret()
    {
        var options = new ExaiSupabaseOptions { ConnectionString = "Host=x;Password=pw-123" };
        options.Auth.JwtSecret = Secret;

        options.ToString().Should().NotContain(Secret).And.NotContain("pw-123").And.Contain("JwtSecret = ***");
    }

    private static ISupabaseTokenValidator Validator(ServiceProvider services) => services.GetRequiredService<ISupabaseTokenValidator>();

    private static ServiceProvider Build(Action<SupabaseAuthOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddLogging(b => b.AddProvider(TestLoggerProvider.Instance));
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = "Host=localhost";
            configure(o.Auth);
        });
        return services.BuildServiceProvider();
    }

    private static string Token(
        Guid? user,
        string? email = null,
        string audience = "authenticated",
        string role = "authenticated",
        string issuer = Issuer,
        DateTimeOffset? expires = null,
        DateTimeOffset? notBefore = null,
        string secret = Secret,
        SigningCredentials? signing = null)
    {
        var claims = new Dictionary<string, object> { ["role"] = role, ["aud"] = audience };
        if (user is not null)
        {
            claims["sub"] = user.Value.ToString();
        }

        if (email is not null)
        {
            claims["email"] = email;
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = issuer,
            IssuedAt = Now.AddMinutes(-1).UtcDateTime,
            NotBefore = (notBefore ?? Now.AddMinutes(-1)).UtcDateTime,
            Expires = (expires ?? Now.AddHours(1)).UtcDateTime,
            SigningCredentials = signing ?? new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Tamper(string token, Guid otherUser)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]);
        var changed = System.Text.RegularExpressions.Regex.Replace(payload, "\"sub\":\"[^\"]+\"", $"\"sub\":\"{otherUser}\"");
        return $"{parts[0]}.{Base64UrlEncoder.Encode(changed)}.{parts[2]}";
    }

    private static string Unsigned(Guid user)
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64UrlEncoder.Encode($"{{\"sub\":\"{user}\",\"aud\":\"authenticated\",\"role\":\"authenticated\",\"iss\":\"{Issuer}\",\"exp\":{Now.AddHours(1).ToUnixTimeSeconds()}}}");
        return $"{header}.{payload}.";
    }

    /// <summary>Publishes a JWKS document on loopback, as a Supabase project does at /auth/v1/.well-known/jwks.json.</summary>
    private sealed class JwksServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private volatile string _document = "{\"keys\":[]}";

        public JwksServer()
        {
            var port = FreePort();
            ProjectUrl = new Uri($"http://127.0.0.1:{port}");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public Uri ProjectUrl { get; }

        public string Issuer => $"{ProjectUrl.ToString().TrimEnd('/')}/auth/v1";

        public void Publish(params ECDsaSecurityKey[] keys)
        {
            var entries = keys.Select(k =>
            {
                var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(k);
                return $"{{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{jwk.X}\",\"y\":\"{jwk.Y}\",\"kid\":\"{k.KeyId}\",\"alg\":\"ES256\",\"use\":\"sig\"}}";
            });
            _document = $"{{\"keys\":[{string.Join(",", entries)}]}}";
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }

        private static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }

                var body = Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath == "/auth/v1/.well-known/jwks.json" ? _document : "{}");
                context.Response.StatusCode = context.Request.Url.AbsolutePath == "/auth/v1/.well-known/jwks.json" ? 200 : 404;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}

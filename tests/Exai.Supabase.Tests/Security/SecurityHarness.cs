using System.Text;
using Exai.Supabase.Conversations;
using Exai.Supabase.Files;
using Exai.Supabase.Files.Internal;
using Exai.Supabase.Issues;
using Exai.Supabase.Outbox;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Prompts;
using Exai.Supabase.Realtime;
using Exai.Supabase.Security;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Files;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Exai.Supabase.Tests.Security;

/// <summary>
/// The whole library wired as a multi-user tool server would wire it: every feature, providers and Supabase Storage at
/// the loopback fake, a project JWT secret for access tokens, its own spill folder.
/// </summary>
internal sealed class SecurityHarness : IAsyncDisposable
{
    public const string JwtSecret = "security-tests-jwt-secret-0f3c9b7e2a6d41858c1e";
    public const string Issuer = "http://127.0.0.1:54321/auth/v1";

    private readonly ServiceProvider _provider;

    private SecurityHarness(ServiceProvider provider)
    {
        _provider = provider;
        Processor = provider.GetRequiredService<OutboxProcessor>();
    }

    public IServiceProvider Services => _provider;

    public OutboxProcessor Processor { get; }

    public IExaiOutbox Outbox => Processor;

    public IConversationStore Store => Get<IConversationStore>();

    public IFileSync Files => Get<IFileSync>();

    public IFileStorage Storage => Get<IFileStorage>();

    public IProviderFileClientFactory Clients => Get<IProviderFileClientFactory>();

    public FileDeletionRunner Runner => Get<FileDeletionRunner>();

    public IIssueTracker Issues => Get<IIssueTracker>();

    public IPromptResolver Resolver => Get<IPromptResolver>();

    public IPromptManager Prompts => Get<IPromptManager>();

    public IChangeFeed Feed => Get<IChangeFeed>();

    public IExaiErasure Erasure => Get<IExaiErasure>();

    public ISupabaseTokenValidator Tokens => Get<ISupabaseTokenValidator>();

    public ScopedDb ScopedDb => Get<ScopedDb>();

    public ExaiDataSources DataSources => Get<ExaiDataSources>();

    public static SecurityHarness Create(
        string connectionString,
        LocalFileApis? apis = null,
        ILoggerProvider? logs = null,
        LogLevel level = LogLevel.Warning,
        Action<ExaiSupabaseOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(level).AddProvider(logs ?? TestLoggerProvider.Instance));
        services.AddExaiSupabase(o =>
        {
            o.ConnectionString = connectionString;
            o.Outbox.SpillDirectory = OutboxHarness.NewSpillRoot();
            o.Outbox.MaxBatchAge = TimeSpan.FromMilliseconds(20);
            o.Outbox.RetryDelay = TimeSpan.FromMilliseconds(50);
            o.Outbox.MaxRetryDelay = TimeSpan.FromMilliseconds(500);
            o.Auth.JwtSecret = JwtSecret;
            o.Auth.Issuer = Issuer;
            if (apis is not null)
            {
                o.Files.Providers["kimi"] = FilesHarness.Provider(apis.KimiBaseUrl, LocalFileApis.KimiKey);
                o.Files.Providers["glm"] = FilesHarness.Provider(apis.GlmBaseUrl, LocalFileApis.GlmKey);
                o.Files.Storage.SupabaseUrl = apis.SupabaseUrl;
                o.Files.Storage.ServiceKey = LocalFileApis.ServiceKey;
                o.Files.Storage.RetryDelay = TimeSpan.FromMilliseconds(20);
                o.Files.Storage.Timeout = TimeSpan.FromSeconds(5);
            }

            o.Files.Deletion.RetryDelay = TimeSpan.FromSeconds(1);
            o.Files.OrphanGracePeriod = TimeSpan.Zero;
            configure?.Invoke(o);
        });
        var harness = new SecurityHarness(services.BuildServiceProvider());
        harness.Processor.EnsureStarted();
        return harness;
    }

    /// <summary>An HS256 access token as the project's auth server signs it.</summary>
    public static string Token(
        Guid? user,
        string audience = "authenticated",
        DateTimeOffset? expires = null,
        string secret = JwtSecret,
        string issuer = Issuer,
        string? email = null)
    {
        var claims = new Dictionary<string, object> { ["role"] = "authenticated", ["aud"] = audience };
        if (user is not null)
        {
            claims["sub"] = user.Value.ToString();
        }

        if (email is not null)
        {
            claims["email"] = email;
        }

        var now = DateTimeOffset.UtcNow;
        var until = expires ?? now.AddHours(1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            Issuer = issuer,
            IssuedAt = (until < now ? until.AddHours(-1) : now.AddMinutes(-1)).UtcDateTime,
            NotBefore = (until < now ? until.AddHours(-1) : now.AddMinutes(-1)).UtcDateTime,
            Expires = until.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The token with its payload's <c>sub</c> replaced (the signature no longer matches).</summary>
    public static string Tampered(string token, Guid otherUser)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]);
        var changed = System.Text.RegularExpressions.Regex.Replace(payload, "\"sub\":\"[^\"]+\"", $"\"sub\":\"{otherUser}\"");
        return $"{parts[0]}.{Base64UrlEncoder.Encode(changed)}.{parts[2]}";
    }

    /// <summary>Every row of a user in every user-owned table (and the rows linked to them), as text.</summary>
    public static async Task<string> RowsOfAsync(MigratedDatabase db, Guid user) =>
        await db.ScalarAsync<string>("""
            SELECT string_agg(x, E'\n' ORDER BY x) FROM (
                SELECT 'sessions ' || row_to_json(s)::text FROM sessions s WHERE user_id = @u
                UNION ALL SELECT 'conversations ' || row_to_json(c)::text FROM conversations c WHERE user_id = @u
                UNION ALL SELECT 'messages ' || row_to_json(m)::text FROM messages m
                    WHERE user_id = @u OR conversation_id IN (SELECT id FROM conversations WHERE user_id = @u)
                UNION ALL SELECT 'files ' || row_to_json(f)::text FROM files f WHERE user_id = @u
                UNION ALL SELECT 'conversation_files ' || row_to_json(l)::text FROM conversation_files l
                    WHERE conversation_id IN (SELECT id FROM conversations WHERE user_id = @u) OR file_id IN (SELECT id FROM files WHERE user_id = @u)
                UNION ALL SELECT 'provider_file_uploads ' || row_to_json(p)::text FROM provider_file_uploads p
                    WHERE file_id IN (SELECT id FROM files WHERE user_id = @u)
                UNION ALL SELECT 'file_deletion_jobs ' || row_to_json(j)::text FROM file_deletion_jobs j WHERE user_id = @u
            ) t(x)
            """, ("u", user)) ?? string.Empty;

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public Task FlushAsync() => Processor.FlushAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();
}

using System.Net;
using Exai.Supabase.Conversations;
using Exai.Supabase.Files;
using Exai.Supabase.Security;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Files;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Exai.Supabase.Tests.Security;

/// <summary>
/// Secrets — the database password, the Supabase service key, the JWT secret, provider API keys and access tokens —
/// never appear in a log line (at any level), an exception's text or an options object's text, across a run made to
/// fail: a connection with a wrong password, a provider and a store that answer 401 to wrong keys (the stand-in even
/// echoes the key it was sent), and refused tokens.
/// </summary>
public sealed class SecretLeakTests
{
    private const string WrongPassword = "Wr0ng-Passw0rd-leak-check-5d1c";
    private const string WrongKimiKey = "sk-wrong-kimi-key-leak-check-93ab";
    private const string WrongServiceKey = "wrong-service-key-leak-check-72fe";
    private const string OtherJwtSecret = "another-projects-jwt-secret-leak-check-4b7a0c";

    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _apis = await LocalFileApis.StartAsync();
        _db = await MigratedDatabase.CreateAsync("exai_secrets");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _apis.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task No_secret_appears_in_logs_exception_messages_or_options_text_across_a_failing_run()
    {
        var logs = new TestLoggerProvider();
        var texts = new List<string>();
        var realPassword = new NpgsqlConnectionStringBuilder(_db.ConnectionString).Password;
        realPassword.Should().NotBeNullOrEmpty("the test server asks for a password, so a wrong one fails");
        var wrongKeyToken = SecurityHarness.Token(Guid.NewGuid(), secret: OtherJwtSecret);
        var expiredToken = SecurityHarness.Token(Guid.NewGuid(), expires: DateTimeOffset.UtcNow.AddHours(-2));
        var goodToken = SecurityHarness.Token(Guid.NewGuid());
        string[] secrets =
        [
            realPassword!, WrongPassword, WrongKimiKey, WrongServiceKey, OtherJwtSecret, SecurityHarness.JwtSecret,
            LocalFileApis.KimiKey, LocalFileApis.GlmKey, LocalFileApis.ServiceKey, wrongKeyToken, expiredToken, goodToken,
        ];

        // A wrong database password: reads fail, queued writes are held and retried.
        var badConnection = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Password = WrongPassword }.ConnectionString;
        var before = logs.Lines.Count;
        await using (var wrong = SecurityHarness.Create(badConnection, _apis, logs, LogLevel.Trace))
        {
            using (ExaiScope.Begin(ExaiScope.ForUser(Guid.NewGuid())))
            {
                wrong.Store.Append("leak-thread", ConversationTurn.User("hello"));
                texts.Add(await FailureOfAsync(() => wrong.Store.GetUserThreadsAsync(ExaiScope.Current.UserId!.Value)));
            }

            texts.Add(await FailureOfAsync(() => wrong.Prompts.GetVersionsAsync("leak", "kimi")));
            texts.Add(await FailureOfAsync(() => wrong.Erasure.EraseUserAsync(Guid.NewGuid(), new CancellationTokenSource(TimeSpan.FromSeconds(2)).Token)));
            await Eventually.TrueAsync(
                () => Task.FromResult(logs.Lines.Skip(before).Any(l => l.Message.Contains("28P01", StringComparison.Ordinal) || (l.Exception?.ToString().Contains("28P01", StringComparison.Ordinal) ?? false))),
                TimeSpan.FromSeconds(30),
                "the outbox logs the refused login");
            texts.Add(wrong.Get<IOptions<ExaiSupabaseOptions>>().Value.ToString());
        }

        texts.Should().Contain(t => t.Contains("28P01", StringComparison.Ordinal) || t.Contains("password", StringComparison.OrdinalIgnoreCase), "the login was refused");

        // The right database; a provider key, a service key and tokens that are refused.
        await using (var harness = SecurityHarness.Create(_db.ConnectionString, _apis, logs, LogLevel.Trace, o =>
        {
            o.Files.Providers["kimi"] = FilesHarness.Provider(_apis.KimiBaseUrl, WrongKimiKey);
            o.Files.Storage.ServiceKey = WrongServiceKey;
        }))
        {
            var provider = () => harness.Clients.GetClient("kimi").ListAsync();
            var refused = (await provider.Should().ThrowAsync<ProviderFileException>()).Which;
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            texts.Add(refused.ToString());
            texts.Add(await FailureOfAsync(() => harness.Files.StoreAsync(new FileRegistration { StoragePath = "leak/x.txt" }, FilesHarness.Content("x"))));
            texts.Add(await FailureOfAsync(() => harness.Storage.ListAsync("user-files")));
            texts.Add(await FailureOfAsync(() => harness.Tokens.ValidateAsync(wrongKeyToken)));
            texts.Add(await FailureOfAsync(() => harness.Tokens.ValidateAsync(expiredToken)));
            texts.Add(await FailureOfAsync(() => harness.Tokens.ValidateAsync("Bearer " + goodToken + "x")));
            var scope = await harness.Tokens.ValidateAsync(goodToken);
            texts.Add(scope.ToString());

            var options = harness.Get<IOptions<ExaiSupabaseOptions>>().Value;
            texts.Add(options.ToString());
            texts.Add(options.Auth.ToString());
            texts.Add(options.Files.Storage.ToString());
            texts.Add(options.Files.Providers["kimi"].ToString());
            texts.Add(options.Files.Providers["glm"].ToString());
        }

        _apis.Kimi.Requests.Should().NotBeEmpty("the provider was asked and refused the key");
        texts.Should().HaveCountGreaterThan(10);
        var logged = logs.Lines.Select(l => $"{l.Category} {l.Message} {l.Exception}").ToList();
        logged.Should().Contain(l => l.Contains("401", StringComparison.Ordinal) || l.Contains("Unauthorized", StringComparison.Ordinal), "the refusals were logged");
        foreach (var secret in secrets)
        {
            texts.Should().NotContain(t => t.Contains(secret, StringComparison.Ordinal), $"no exception or options text shows the secret {Describe(secret)}");
            logged.Should().NotContain(l => l.Contains(secret, StringComparison.Ordinal), $"no log line shows the secret {Describe(secret)}");
        }
    }

    private static string Describe(string secret) => $"starting {secret[..4]}… ({secret.Length} characters)";

    private static async Task<string> FailureOfAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex)
        {
            return ex.ToString();
        }

        return string.Empty;
    }
}

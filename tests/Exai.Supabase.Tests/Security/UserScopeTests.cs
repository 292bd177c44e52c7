using System.Text.Json;
using System.Text.Json.Nodes;
using Exai.Supabase.Conversations;
using Exai.Supabase.Files;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Security;

/// <summary>
/// Acting as a user: the claims and the role are transaction-local, so a pooled connection reused right after a
/// user's scope (Max Pool Size=1, and No Reset On Close so Npgsql's own reset cannot hide a leak) carries nothing of
/// it — after reads, and after the outbox landed that user's writes; and an access token becomes that scope.
/// </summary>
public sealed class UserScopeTests
{
    private static readonly Guid Alice = Guid.Parse("01900000-0000-7000-8000-0000000a11ce");
    private static readonly Guid Bob = Guid.Parse("01900000-0000-7000-8000-000000000b0b");

    private MigratedDatabase _db = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _db = await MigratedDatabase.CreateAsync("exai_scope");

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _db.DisposeAsync();

    [Test]
    public async Task A_pooled_connection_reused_right_after_a_users_reads_carries_none_of_their_claims()
    {
        await using var harness = SecurityHarness.Create(OneConnection());
        using (ExaiScope.Begin(ExaiScope.ForUser(Alice)))
        {
            harness.Store.Append("pool-alice", ConversationTurn.User("alice's turn"));
            harness.Files.Register(new FileRegistration { StoragePath = $"{Alice}/pool.txt" });
        }

        using (ExaiScope.Begin(ExaiScope.ForUser(Bob)))
        {
            harness.Store.Append("pool-bob", ConversationTurn.User("bob's turn"));
        }

        await harness.FlushAsync();
        var baseline = await ServiceStateAsync(harness);

        SessionState inAlicesScope;
        using (ExaiScope.Begin(ExaiScope.ForUser(Alice, new JsonObject { ["email"] = "alice@example.com" })))
        {
            (await harness.Store.GetHistoryAsync("pool-alice")).Select(m => m.Content).Should().Equal("alice's turn");
            (await harness.Files.GetFileAsync(FileIdOf($"{Alice}/pool.txt"))).Should().NotBeNull("the EF Core read path runs in her scope too");
            inAlicesScope = await ScopedStateAsync(harness);
        }

        var afterAlice = await ServiceStateAsync(harness);

        SessionState inBobsScope;
        using (ExaiScope.Begin(ExaiScope.ForUser(Bob)))
        {
            (await harness.Store.GetHistoryAsync("pool-alice")).Should().BeEmpty("bob's read on alice's connection sees none of her rows");
            (await harness.Store.GetHistoryAsync("pool-bob")).Select(m => m.Content).Should().Equal("bob's turn");
            inBobsScope = await ScopedStateAsync(harness);
        }

        var afterBob = await ServiceStateAsync(harness);

        new[] { inAlicesScope.Pid, afterAlice.Pid, inBobsScope.Pid, afterBob.Pid }.Should().OnlyContain(p => p == baseline.Pid, "one physical connection served every step");
        inAlicesScope.User.Should().Be("authenticated");
        inAlicesScope.Uid.Should().Be(Alice);
        inAlicesScope.Claims.Should().Contain("alice@example.com");
        inBobsScope.Uid.Should().Be(Bob);
        inBobsScope.Claims.Should().NotContain(Alice.ToString()).And.NotContain("alice@example.com");
        afterAlice.Should().Be(baseline, "alice's claims and role ended with her transaction");
        afterBob.Should().Be(baseline);
        afterAlice.Claims.Should().BeEmpty();
        afterAlice.Uid.Should().BeNull();
    }

    [Test]
    public async Task A_pooled_connection_reused_right_after_the_outbox_landed_a_users_writes_carries_none_of_their_claims()
    {
        await using var harness = SecurityHarness.Create(OneConnection());
        var baseline = await ServiceStateAsync(harness);

        // Interleaved scopes: one batch holds runs of alice, bob and the service, each landed under its own claims.
        for (var i = 0; i < 3; i++)
        {
            using (ExaiScope.Begin(ExaiScope.ForUser(Alice)))
            {
                harness.Store.Append("landing-alice", ConversationTurn.User($"alice {i}"));
            }

            using (ExaiScope.Begin(ExaiScope.ForUser(Bob)))
            {
                harness.Store.Append("landing-bob", ConversationTurn.User($"bob {i}"));
            }

            harness.Store.Append("landing-service", ConversationTurn.User($"service {i}"));
        }

        await harness.FlushAsync();
        var after = await ServiceStateAsync(harness);

        after.Should().Be(baseline);
        harness.Outbox.GetStatistics().DeadLettered.Should().Be(0);
        (await _db.ColumnAsync<string>(
                "SELECT c.continuation_id || '=' || coalesce(m.user_id::text, 'none') FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id LIKE 'landing-%' GROUP BY 1 ORDER BY 1"))
            .Should().Equal($"landing-alice={Alice}", $"landing-bob={Bob}", "landing-service=none");
    }

    [Test]
    public async Task The_check_would_catch_a_leak_a_session_level_setting_survives_on_the_reused_connection()
    {
        // The control: with this pool a setting that is not transaction-local does reach the next user.
        await using var harness = SecurityHarness.Create(OneConnection());
        await using (var connection = await harness.DataSources.Pooled.OpenConnectionAsync())
        {
            await using var leak = new NpgsqlCommand($"SELECT set_config('request.jwt.claims', '{{\"sub\":\"{Alice}\"}}', false)", connection);
            await leak.ExecuteNonQueryAsync();
        }

        try
        {
            (await ServiceStateAsync(harness)).Uid.Should().Be(Alice);
        }
        finally
        {
            await using var connection = await harness.DataSources.Pooled.OpenConnectionAsync();
            await using var reset = new NpgsqlCommand("RESET ALL", connection);
            await reset.ExecuteNonQueryAsync();
        }
    }

    [Test]
    public async Task An_access_token_becomes_its_users_scope_for_the_work_and_no_longer()
    {
        await using var harness = SecurityHarness.Create(_db.ConnectionString);
        using (ExaiScope.Begin(ExaiScope.ForUser(Bob)))
        {
            harness.Store.Append("token-bob", ConversationTurn.User("bob's secret"));
        }

        await harness.FlushAsync();

        var (user, own, others) = await harness.Tokens.RunAsUserAsync(SecurityHarness.Token(Alice, email: "alice@example.com"), async ct =>
        {
            harness.Store.Append("token-alice", ConversationTurn.User("written with a token"));
            await harness.FlushAsync();
            return (ExaiScope.Current.UserId, await harness.Store.GetHistoryAsync("token-alice", ct), await harness.Store.GetHistoryAsync("token-bob", ct));
        });

        user.Should().Be(Alice);
        own.Select(m => m.Content).Should().Equal("written with a token");
        others.Should().BeEmpty();
        ExaiScope.Current.IsService.Should().BeTrue("the scope ends with the work");
        (await _db.ScalarAsync<Guid>("SELECT m.user_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id = 'token-alice'"))
            .Should().Be(Alice);
    }

    [TestCase("expired", SupabaseTokenFailure.Expired)]
    [TestCase("wrong-audience", SupabaseTokenFailure.WrongAudience)]
    [TestCase("wrong-issuer", SupabaseTokenFailure.WrongIssuer)]
    [TestCase("wrong-key", SupabaseTokenFailure.BadSignature)]
    [TestCase("tampered", SupabaseTokenFailure.BadSignature)]
    [TestCase("no-user", SupabaseTokenFailure.MissingSubject)]
    [TestCase("missing", SupabaseTokenFailure.Missing)]
    [TestCase("garbage", SupabaseTokenFailure.Malformed)]
    public async Task A_token_that_fails_a_check_runs_nothing_and_says_which_check_failed(string kind, SupabaseTokenFailure expected)
    {
        await using var harness = SecurityHarness.Create(_db.ConnectionString);
        var token = kind switch
        {
            "expired" => SecurityHarness.Token(Alice, expires: DateTimeOffset.UtcNow.AddMinutes(-5)),
            "wrong-audience" => SecurityHarness.Token(Alice, audience: "anon"),
            "wrong-issuer" => SecurityHarness.Token(Alice, issuer: "https://evil.example/auth/v1"),
            "wrong-key" => SecurityHarness.Token(Alice, secret: SecurityHarness.JwtSecret + "-forged"),
            "tampered" => SecurityHarness.Tampered(SecurityHarness.Token(Bob), Alice),
            "no-user" => SecurityHarness.Token(null),
            "missing" => "Bearer ",
            _ => "Bearer not-a-token",
        };
        var ran = false;

        var act = () => harness.Tokens.RunAsUserAsync(token, _ =>
        {
            ran = true;
            harness.Store.Append("never", ConversationTurn.User("never"));
            return Task.CompletedTask;
        });

        var refusal = (await act.Should().ThrowAsync<SupabaseTokenException>()).Which;
        refusal.Failure.Should().Be(expected);
        refusal.ToString().Should().NotContain(SecurityHarness.JwtSecret);
        if (token.Length > 20)
        {
            refusal.ToString().Should().NotContain(token.Split('.')[^1], "neither the token nor its signature is repeated");
        }

        ran.Should().BeFalse();
        harness.Outbox.GetStatistics().Recorded.Should().Be(0);
        ExaiScope.Current.IsService.Should().BeTrue();
    }

    [Test]
    public void A_user_scope_refuses_claims_it_could_not_set_for_a_transaction()
    {
        var nul = () => ExaiScope.ForUser(Alice, new JsonObject { ["email"] = "a\0b" });
        var surrogate = () => ExaiScope.ForUser(Alice, new JsonObject { ["name"] = "\uD800" });
        var empty = () => ExaiScope.ForUser(Guid.Empty);

        nul.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("claims");
        surrogate.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("claims");
        empty.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("userId");
        var scope = ExaiScope.ForUser(Alice, new JsonObject { ["sub"] = Bob.ToString(), ["role"] = "service_role" });
        var claims = JsonNode.Parse(scope.ClaimsJson!)!;
        ((string?)claims["sub"]).Should().Be(Alice.ToString(), "the library sets sub and role itself");
        ((string?)claims["role"]).Should().Be("authenticated");
    }

    private static Guid FileIdOf(string path) => Exai.Supabase.Files.Internal.FileIds.ForFile("user-files", path);

    private string OneConnection() =>
        new NpgsqlConnectionStringBuilder(_db.ConnectionString) { MaxPoolSize = 1, NoResetOnClose = true, Timeout = 60 }.ConnectionString;

    /// <summary>What the session looks like to a plain service query on the pooled connection (no scope set).</summary>
    private static async Task<SessionState> ServiceStateAsync(SecurityHarness harness)
    {
        await using var connection = await harness.DataSources.Pooled.OpenConnectionAsync();
        return await ReadStateAsync(connection, null);
    }

    /// <summary>What the session looks like inside a transaction of the current scope.</summary>
    private static Task<SessionState> ScopedStateAsync(SecurityHarness harness) =>
        harness.ScopedDb.RunAsync((connection, transaction, _) => ReadStateAsync(connection, transaction), CancellationToken.None);

    private static async Task<SessionState> ReadStateAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand(
            "SELECT pg_backend_pid(), current_user::text, coalesce(current_setting('request.jwt.claims', true), ''), current_setting('role'), auth.uid()",
            connection,
            transaction);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new SessionState(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetGuid(4));
    }

    private sealed record SessionState(int Pid, string User, string Claims, string Role, Guid? Uid);
}

using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Migrations;

/// <summary>
/// The consolidated schema as a fresh database holds it after the migrations, checked from the catalog against every
/// fixed rule of DESIGN.md, and the rules the database enforces exercised with real rows.
/// </summary>
public sealed class SchemaTests
{
    private MigratedDatabase _database = null!;

    private NpgsqlDataSource Db => _database.DataSource;

    [OneTimeSetUp]
    public async Task MigrateAsync() => _database = await MigratedDatabase.CreateAsync("exai_schema");

    [OneTimeTearDown]
    public async Task DropAsync() => await _database.DisposeAsync();

    [Test]
    public async Task Every_fixed_table_exists() => await FixedSchema.AssertTablesAsync(Db);

    [Test]
    public async Task The_fixed_columns_exist_with_PostgreSQL_native_types() => await FixedSchema.AssertFixedColumnsAsync(Db);

    [Test]
    public async Task The_only_columns_without_a_default_are_those_a_caller_must_give() => await FixedSchema.AssertRequiredColumnsAsync(Db);

    [Test]
    public async Task A_row_of_every_table_can_be_inserted_with_only_its_required_columns()
    {
        await using var connection = await Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        await ScalarAsync<Guid>(connection, "INSERT INTO sessions DEFAULT VALUES RETURNING id");
        var conversation = await ScalarAsync<Guid>(connection, "INSERT INTO conversations (continuation_id) VALUES ('minimal') RETURNING id");
        var content = await ScalarAsync<string>(connection, "INSERT INTO messages (conversation_id, role) VALUES (@c, 'user') RETURNING content", ("c", conversation));
        var file = await ScalarAsync<Guid>(connection, "INSERT INTO files (storage_path) VALUES ('minimal/a.txt') RETURNING id");
        await ScalarAsync<Guid>(connection, "INSERT INTO conversation_files (conversation_id, file_id) VALUES (@c, @f) RETURNING id", ("c", conversation), ("f", file));
        var status = await ScalarAsync<string>(connection, "INSERT INTO provider_file_uploads (provider, provider_file_id) VALUES ('kimi', 'file-1') RETURNING status");
        await ScalarAsync<Guid>(connection, "INSERT INTO file_deletion_jobs DEFAULT VALUES RETURNING id");
        var issue = await ScalarAsync<Guid>(connection, "INSERT INTO issues (title) VALUES ('minimal') RETURNING id");
        await ScalarAsync<Guid>(connection, "INSERT INTO issue_updates (issue_id) VALUES (@i) RETURNING id", ("i", issue));
        await ScalarAsync<Guid>(connection, "INSERT INTO issue_checklist_items (issue_id, position, text) VALUES (@i, 1, 'step') RETURNING id", ("i", issue));
        var prompt = await ScalarAsync<Guid>(connection,
            "INSERT INTO system_prompts (tool_name, provider, tier, prompt_content, version) VALUES ('chat', 'kimi', 1, 'You help.', 'v1') RETURNING id");
        var active = await ScalarAsync<bool>(connection, "SELECT is_active FROM system_prompts WHERE id = @p", ("p", prompt));
        await ScalarAsync<Guid>(connection,
            "INSERT INTO prompt_versions (prompt_id, tool_name, provider, version) VALUES (@p, 'chat', 'kimi', 'v1') RETURNING id", ("p", prompt));
        await ScalarAsync<Guid>(connection, "INSERT INTO prompt_performance (tool_name, provider) VALUES ('chat', 'kimi') RETURNING id");
        await ScalarAsync<Guid>(connection,
            "INSERT INTO outbox_dead_letters (id, kind, payload, reason, recorded_at) VALUES (gen_random_uuid(), 'message', '{}', 'test', now()) RETURNING id");

        content.Should().BeEmpty("a message's content defaults to empty text");
        status.Should().Be("pending");
        active.Should().BeFalse("a new prompt version is inactive until activated");
        await transaction.RollbackAsync();
    }

    [Test]
    public async Task Every_foreign_key_has_its_on_delete_rule() => await FixedSchema.AssertForeignKeysAsync(Db);

    [Test]
    public async Task Deleting_a_conversation_deletes_its_messages_and_file_links()
    {
        await using var connection = await Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var conversation = await ScalarAsync<Guid>(connection, "INSERT INTO conversations (continuation_id) VALUES ('cascade') RETURNING id");
        await ScalarAsync<Guid>(connection, "INSERT INTO messages (conversation_id, role) VALUES (@c, 'user') RETURNING id", ("c", conversation));
        var file = await ScalarAsync<Guid>(connection, "INSERT INTO files (storage_path) VALUES ('cascade/a.txt') RETURNING id");
        await ScalarAsync<Guid>(connection, "INSERT INTO conversation_files (conversation_id, file_id) VALUES (@c, @f) RETURNING id", ("c", conversation), ("f", file));

        await ExecuteAsync(connection, "DELETE FROM conversations WHERE id = @c", ("c", conversation));

        (await ScalarAsync<long>(connection, "SELECT count(*) FROM messages WHERE conversation_id = @c", ("c", conversation))).Should().Be(0);
        (await ScalarAsync<long>(connection, "SELECT count(*) FROM conversation_files WHERE conversation_id = @c", ("c", conversation))).Should().Be(0);
        (await ScalarAsync<long>(connection, "SELECT count(*) FROM files WHERE id = @f", ("f", file))).Should().Be(1, "the file itself stays");
        await transaction.RollbackAsync();
    }

    [Test]
    public async Task Deleting_a_file_deletes_its_links_and_keeps_its_provider_uploads_without_a_file()
    {
        await using var connection = await Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var conversation = await ScalarAsync<Guid>(connection, "INSERT INTO conversations (continuation_id) VALUES ('set-null') RETURNING id");
        var file = await ScalarAsync<Guid>(connection, "INSERT INTO files (storage_path) VALUES ('set-null/a.txt') RETURNING id");
        await ScalarAsync<Guid>(connection, "INSERT INTO conversation_files (conversation_id, file_id) VALUES (@c, @f) RETURNING id", ("c", conversation), ("f", file));
        var upload = await ScalarAsync<Guid>(connection,
            "INSERT INTO provider_file_uploads (file_id, provider, provider_file_id) VALUES (@f, 'kimi', 'set-null-1') RETURNING id", ("f", file));

        await ExecuteAsync(connection, "DELETE FROM files WHERE id = @f", ("f", file));

        (await ScalarAsync<long>(connection, "SELECT count(*) FROM conversation_files WHERE file_id = @f", ("f", file))).Should().Be(0);
        (await ScalarAsync<Guid?>(connection, "SELECT file_id FROM provider_file_uploads WHERE id = @u", ("u", upload))).Should()
            .BeNull("the provider's copy outlives the record and must still be found to be deleted there");
        await transaction.RollbackAsync();
    }

    [Test]
    public async Task Every_index_of_the_design_exists_by_its_leading_columns() => await FixedSchema.AssertIndexesAsync(Db);

    [Test]
    public async Task Every_user_id_compared_by_a_policy_is_indexed() => await FixedSchema.AssertUserIdIndexesAsync(Db);

    [Test]
    public async Task The_prompt_constraints_are_in_the_catalog() => await FixedSchema.AssertPromptConstraintsAsync(Db);

    [TestCase(7)]
    [TestCase(-1)]
    [TestCase(4)]
    public async Task A_prompt_tier_outside_0_to_3_is_refused(int tier)
    {
        var insert = () => InsertPromptAsync(Db, "tier", "kimi", $"v{tier}", active: false, tier: tier);

        (await insert.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.CheckViolation);
    }

    [Test]
    public async Task Every_tier_from_0_to_3_is_accepted()
    {
        for (var tier = 0; tier <= 3; tier++)
        {
            await InsertPromptAsync(Db, "tier-ok", "kimi", $"v{tier}", active: false, tier: tier);
        }

        (await _database.ScalarAsync<long>("SELECT count(*) FROM system_prompts WHERE tool_name = 'tier-ok'")).Should().Be(4);
    }

    [Test]
    public async Task A_version_is_unique_per_tool_and_provider()
    {
        await InsertPromptAsync(Db, "unique", "kimi", "v1", active: false);
        await InsertPromptAsync(Db, "unique", "glm", "v1", active: false);
        await InsertPromptAsync(Db, "unique-other", "kimi", "v1", active: false);

        var duplicate = () => InsertPromptAsync(Db, "unique", "kimi", "v1", active: false);

        (await duplicate.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
    }

    [Test]
    public async Task A_second_active_version_of_one_tool_and_provider_is_refused()
    {
        await InsertPromptAsync(Db, "one-active", "kimi", "v1", active: true);
        await InsertPromptAsync(Db, "one-active", "kimi", "v2", active: false);
        await InsertPromptAsync(Db, "one-active", "glm", "v1", active: true);

        var secondActive = () => InsertPromptAsync(Db, "one-active", "kimi", "v3", active: true);
        var activateOther = () => _database.ExecuteAsync("UPDATE system_prompts SET is_active = true WHERE tool_name = 'one-active' AND provider = 'kimi' AND version = 'v2'");

        (await secondActive.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
        (await activateOther.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
        (await _database.ScalarAsync<long>("SELECT count(*) FROM system_prompts WHERE tool_name = 'one-active' AND is_active")).Should().Be(2);
    }

    [Test]
    public async Task An_activation_racing_an_uncommitted_one_waits_for_it_and_is_then_refused()
    {
        await using var first = await Db.OpenConnectionAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        await InsertPromptAsync(first, "race", "kimi", "v1", active: true);

        await using var second = await Db.OpenConnectionAsync();
        var secondInsert = Task.Run(() => InsertPromptAsync(second, "race", "kimi", "v2", active: true));
        await WaitUntilBlockedAsync(second.ProcessID, secondInsert);

        await firstTransaction.CommitAsync();

        var refused = () => secondInsert;
        (await refused.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.UniqueViolation);
        (await _database.ColumnAsync<string>("SELECT version FROM system_prompts WHERE tool_name = 'race' AND is_active")).Should().Equal("v1");
    }

    [Test]
    public async Task Of_many_concurrent_activations_of_one_tool_and_provider_exactly_one_lands()
    {
        const int contenders = 8;
        using var start = new SemaphoreSlim(0, contenders);
        var attempts = Enumerable.Range(0, contenders).Select(i => Task.Run(async () =>
        {
            await using var connection = await Db.OpenConnectionAsync();
            await start.WaitAsync();
            try
            {
                await InsertPromptAsync(connection, "burst", "glm", $"v{i}", active: true);
                return (string?)null;
            }
            catch (PostgresException ex)
            {
                return ex.SqlState;
            }
        })).ToList();
        start.Release(contenders);

        var outcomes = await Task.WhenAll(attempts);

        outcomes.Count(o => o is null).Should().Be(1);
        outcomes.Where(o => o is not null).Should().OnlyContain(o => o == PostgresErrorCodes.UniqueViolation);
        (await _database.ScalarAsync<long>("SELECT count(*) FROM system_prompts WHERE tool_name = 'burst' AND is_active")).Should().Be(1);
    }

    [Test]
    public async Task Row_level_security_is_enabled_on_every_library_table() => await FixedSchema.AssertRowLevelSecurityAsync(Db);

    [Test]
    public async Task Every_table_has_exactly_its_policies() => await FixedSchema.AssertPoliciesAsync(Db);

    [Test]
    public async Task Policies_call_auth_uid_through_a_select() => await FixedSchema.AssertPoliciesCallUidThroughSelectAsync(Db);

    [Test]
    public async Task Anon_authenticated_and_service_role_hold_exactly_their_privileges_on_every_table() => await FixedSchema.AssertPrivilegesAsync(Db);

    [Test]
    public async Task The_realtime_publication_holds_exactly_the_tables_of_the_design() => await FixedSchema.AssertPublicationAsync(Db);

    [Test]
    public async Task Replica_identity_is_full_exactly_where_subscribers_need_old_rows() => await FixedSchema.AssertReplicaIdentityAsync(Db);

    [Test]
    public async Task The_auth_stand_ins_read_the_jwt_claims_as_Supabase_does()
    {
        var user = Guid.NewGuid();
        await using var connection = await Db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, "SELECT set_config('request.jwt.claims', @claims, true)",
            ("claims", $$"""{"sub":"{{user}}","role":"authenticated","email":"a@example.com"}"""));

        (await ScalarAsync<Guid>(connection, "SELECT auth.uid()")).Should().Be(user);
        (await ScalarAsync<string>(connection, "SELECT auth.role()")).Should().Be("authenticated");
        (await ScalarAsync<string>(connection, "SELECT auth.jwt() ->> 'email'")).Should().Be("a@example.com");

        // Supabase's functions still honour the older one-setting-per-claim form first.
        var legacy = Guid.NewGuid();
        await ExecuteAsync(connection, "SELECT set_config('request.jwt.claim.sub', @sub, true)", ("sub", legacy.ToString()));
        (await ScalarAsync<Guid>(connection, "SELECT auth.uid()")).Should().Be(legacy);
        await transaction.RollbackAsync();

        (await _database.ScalarAsync<long>("SELECT count(*) FROM pg_roles WHERE rolname IN ('anon', 'authenticated', 'service_role')")).Should().Be(3);
    }

    [Test]
    public async Task Without_claims_auth_uid_is_null()
    {
        (await _database.ScalarAsync<Guid?>("SELECT auth.uid()")).Should().BeNull();
        (await _database.ScalarAsync<string>("SELECT auth.role()")).Should().BeNull();
    }

    private static async Task InsertPromptAsync(NpgsqlDataSource db, string tool, string provider, string version, bool active, int tier = 1)
    {
        await using var connection = await db.OpenConnectionAsync();
        await InsertPromptAsync(connection, tool, provider, version, active, tier);
    }

    private static async Task InsertPromptAsync(NpgsqlConnection connection, string tool, string provider, string version, bool active, int tier = 1) =>
        await ExecuteAsync(connection,
            "INSERT INTO system_prompts (tool_name, provider, tier, prompt_content, version, is_active) VALUES (@t, @p, @tier, 'You help.', @v, @a)",
            ("t", tool), ("p", provider), ("tier", tier), ("v", version), ("a", active));

    private async Task WaitUntilBlockedAsync(int pid, Task blocked) =>
        await Eventually.TrueAsync(async () =>
        {
            if (blocked.IsCompleted)
            {
                await blocked;
                throw new AssertionException("the statement finished instead of waiting for the uncommitted row");
            }

            return await _database.ScalarAsync<bool>("SELECT coalesce(bool_or(wait_event_type = 'Lock'), false) FROM pg_stat_activity WHERE pid = @pid", ("pid", pid));
        }, TimeSpan.FromSeconds(30), $"backend {pid} waiting on a lock");

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Actor.Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Actor.Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }
}

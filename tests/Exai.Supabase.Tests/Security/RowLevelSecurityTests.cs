using Exai.Supabase.Tests.Infrastructure;
using Npgsql;

namespace Exai.Supabase.Tests.Security;

/// <summary>
/// Row-level security as Supabase's API roles meet it: two users A and B, each with a session, a conversation, a
/// message, a file, a link, a provider upload and a deletion job; <c>anon</c>; and the service side.
/// </summary>
public sealed class RowLevelSecurityTests
{
    private static readonly Guid UserA = Guid.Parse("0190a000-0000-7000-8000-00000000000a");
    private static readonly Guid UserB = Guid.Parse("0190b000-0000-7000-8000-00000000000b");

    private readonly Dictionary<(string Table, Guid User), Guid> _rows = [];
    private MigratedDatabase _database = null!;

    private NpgsqlDataSource Db => _database.DataSource;

    public static IEnumerable<string> UserOwnedTables => FixedSchema.UserOwnedTables;

    public static IEnumerable<string> DirectlyOwnedTables => ["sessions", "conversations", "messages", "files"];

    public static IEnumerable<string> ReadOnlyTables => FixedSchema.ReadOnlyForUsers;

    public static IEnumerable<string> AllTables => [.. FixedSchema.LibraryTables, "__exai_migrations_history"];

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _database = await MigratedDatabase.CreateAsync("exai_rls");
        await using var connection = await Db.OpenConnectionAsync();
        foreach (var (user, tag) in new[] { (UserA, "a"), (UserB, "b") })
        {
            var session = await InsertAsync(connection, "INSERT INTO sessions (user_id) VALUES (@u) RETURNING id", ("u", user));
            var conversation = await InsertAsync(connection,
                "INSERT INTO conversations (continuation_id, session_id, user_id) VALUES (@k, @s, @u) RETURNING id",
                ("k", $"rls-{tag}"), ("s", session), ("u", user));
            var message = await InsertAsync(connection,
                "INSERT INTO messages (conversation_id, user_id, role, content) VALUES (@c, @u, 'user', 'hello') RETURNING id",
                ("c", conversation), ("u", user));
            var file = await InsertAsync(connection, "INSERT INTO files (user_id, storage_path) VALUES (@u, @p) RETURNING id",
                ("u", user), ("p", $"{tag}/notes.txt"));
            var link = await InsertAsync(connection, "INSERT INTO conversation_files (conversation_id, file_id) VALUES (@c, @f) RETURNING id",
                ("c", conversation), ("f", file));
            var upload = await InsertAsync(connection,
                "INSERT INTO provider_file_uploads (file_id, provider, provider_file_id) VALUES (@f, 'kimi', @p) RETURNING id",
                ("f", file), ("p", $"kimi-{tag}"));
            var job = await InsertAsync(connection, "INSERT INTO file_deletion_jobs (file_id, user_id) VALUES (@f, @u) RETURNING id",
                ("f", file), ("u", user));
            _rows[("sessions", user)] = session;
            _rows[("conversations", user)] = conversation;
            _rows[("messages", user)] = message;
            _rows[("files", user)] = file;
            _rows[("conversation_files", user)] = link;
            _rows[("provider_file_uploads", user)] = upload;
            _rows[("file_deletion_jobs", user)] = job;
        }

        await InsertAsync(connection,
            "INSERT INTO system_prompts (tool_name, provider, tier, prompt_content, version, is_active) VALUES ('chat', 'kimi', 1, 'You help.', 'v1', true) RETURNING id");
        var issue = await InsertAsync(connection, "INSERT INTO issues (title) VALUES ('Shared issue') RETURNING id");
        await InsertAsync(connection, "INSERT INTO issue_updates (issue_id, body) VALUES (@i, 'seen') RETURNING id", ("i", issue));
    }

    [OneTimeTearDown]
    public async Task DropAsync() => await _database.DisposeAsync();

    [TestCaseSource(nameof(UserOwnedTables))]
    public async Task Each_user_reads_only_their_own_rows(string table)
    {
        var seenByA = await Actor.Authenticated(UserA).QueryAsync<Guid>(Db, $"SELECT id FROM {table}");
        var seenByB = await Actor.Authenticated(UserB).QueryAsync<Guid>(Db, $"SELECT id FROM {table}");

        seenByA.Should().Equal(_rows[(table, UserA)]);
        seenByB.Should().Equal(_rows[(table, UserB)]);
    }

    [TestCaseSource(nameof(UserOwnedTables))]
    public async Task A_user_cannot_change_another_users_row(string table)
    {
        var changed = await RowsOrDeniedAsync(() => Actor.Authenticated(UserA).ExecuteAsync(Db,
            $"UPDATE {table} SET metadata = '{{\"by\":\"a\"}}' WHERE id = @id", ("id", _rows[(table, UserB)])));

        changed.Should().Be(0);
        (await _database.ScalarAsync<string>($"SELECT metadata::text FROM {table} WHERE id = @id", ("id", _rows[(table, UserB)]))).Should().Be("{}");
    }

    [TestCaseSource(nameof(UserOwnedTables))]
    public async Task A_user_cannot_delete_another_users_row(string table)
    {
        var deleted = await RowsOrDeniedAsync(() => Actor.Authenticated(UserA).ExecuteAsync(Db, $"DELETE FROM {table} WHERE id = @id", ("id", _rows[(table, UserB)])));

        deleted.Should().Be(0);
        (await _database.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE id = @id", ("id", _rows[(table, UserB)]))).Should().Be(1);
    }

    [TestCaseSource(nameof(DirectlyOwnedTables))]
    public async Task A_user_cannot_give_their_row_to_another_user(string table)
    {
        var give = () => Actor.Authenticated(UserA).ExecuteAsync(Db, $"UPDATE {table} SET user_id = @b WHERE id = @id",
            ("b", UserB), ("id", _rows[(table, UserA)]));

        await ShouldBeDeniedAsync(give);
    }

    [Test]
    public async Task A_user_cannot_insert_rows_owned_by_another_user()
    {
        var a = Actor.Authenticated(UserA);

        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, "INSERT INTO sessions (user_id) VALUES (@b)", ("b", UserB)));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, "INSERT INTO conversations (continuation_id, user_id) VALUES ('as-b', @b)", ("b", UserB)));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, "INSERT INTO files (user_id, storage_path) VALUES (@b, 'b/planted.txt')", ("b", UserB)));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db,
            "INSERT INTO messages (conversation_id, user_id, role) VALUES (@c, @b, 'user')", ("c", _rows[("conversations", UserA)]), ("b", UserB)));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db,
            "INSERT INTO file_deletion_jobs (file_id, user_id) VALUES (@f, @b)", ("f", _rows[("files", UserA)]), ("b", UserB)));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, "INSERT INTO sessions DEFAULT VALUES"));
    }

    [Test]
    public async Task A_user_cannot_attach_a_message_to_another_users_conversation()
    {
        var attach = () => Actor.Authenticated(UserA).ExecuteAsync(Db,
            "INSERT INTO messages (conversation_id, user_id, role, content) VALUES (@c, @a, 'user', 'planted')",
            ("c", _rows[("conversations", UserB)]), ("a", UserA));

        await ShouldBeDeniedAsync(attach);
        (await _database.ScalarAsync<long>("SELECT count(*) FROM messages WHERE content = 'planted'")).Should().Be(0);
    }

    [Test]
    public async Task A_user_cannot_move_their_message_into_another_users_conversation()
    {
        var move = () => Actor.Authenticated(UserA).ExecuteAsync(Db, "UPDATE messages SET conversation_id = @c WHERE id = @m",
            ("c", _rows[("conversations", UserB)]), ("m", _rows[("messages", UserA)]));

        await ShouldBeDeniedAsync(move);
    }

    [Test]
    public async Task A_user_cannot_open_a_conversation_in_another_users_session()
    {
        var open = () => Actor.Authenticated(UserA).ExecuteAsync(Db,
            "INSERT INTO conversations (continuation_id, session_id, user_id) VALUES ('in-b-session', @s, @a)",
            ("s", _rows[("sessions", UserB)]), ("a", UserA));

        await ShouldBeDeniedAsync(open);
    }

    [Test]
    public async Task A_user_cannot_link_files_and_conversations_they_do_not_both_own()
    {
        var a = Actor.Authenticated(UserA);

        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, "INSERT INTO conversation_files (conversation_id, file_id) VALUES (@c, @f)",
            ("c", _rows[("conversations", UserA)]), ("f", _rows[("files", UserB)])));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, "INSERT INTO conversation_files (conversation_id, file_id) VALUES (@c, @f)",
            ("c", _rows[("conversations", UserB)]), ("f", _rows[("files", UserA)])));
    }

    [Test]
    public async Task A_user_cannot_record_an_upload_or_request_a_deletion_of_another_users_file()
    {
        var a = Actor.Authenticated(UserA);

        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db,
            "INSERT INTO provider_file_uploads (file_id, provider, provider_file_id) VALUES (@f, 'glm', 'planted')", ("f", _rows[("files", UserB)])));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db,
            "INSERT INTO file_deletion_jobs (file_id, user_id) VALUES (@f, @a)", ("f", _rows[("files", UserB)]), ("a", UserA)));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db,
            "INSERT INTO provider_file_uploads (provider, provider_file_id) VALUES ('glm', 'orphan')"));
    }

    [Test]
    public async Task A_user_creates_reads_changes_and_deletes_their_own_rows()
    {
        var outcome = await Actor.Authenticated(UserA).InTransactionAsync(Db, commit: false, async connection =>
        {
            var session = await InsertAsync(connection, "INSERT INTO sessions (user_id) VALUES (@a) RETURNING id", ("a", UserA));
            var conversation = await InsertAsync(connection,
                "INSERT INTO conversations (continuation_id, session_id, user_id) VALUES ('own', @s, @a) RETURNING id", ("s", session), ("a", UserA));
            var message = await InsertAsync(connection,
                "INSERT INTO messages (conversation_id, user_id, role, content) VALUES (@c, @a, 'user', 'mine') RETURNING id", ("c", conversation), ("a", UserA));
            var file = await InsertAsync(connection, "INSERT INTO files (user_id, storage_path) VALUES (@a, 'a/own.txt') RETURNING id", ("a", UserA));
            var link = await InsertAsync(connection,
                "INSERT INTO conversation_files (conversation_id, file_id, message_id) VALUES (@c, @f, @m) RETURNING id", ("c", conversation), ("f", file), ("m", message));
            var upload = await InsertAsync(connection,
                "INSERT INTO provider_file_uploads (file_id, provider, provider_file_id) VALUES (@f, 'glm', 'own-1') RETURNING id", ("f", file));
            var job = await InsertAsync(connection, "INSERT INTO file_deletion_jobs (file_id, user_id) VALUES (@f, @a) RETURNING id", ("f", file), ("a", UserA));
            var created = new Dictionary<string, Guid>
            {
                ["sessions"] = session, ["conversations"] = conversation, ["messages"] = message, ["files"] = file,
                ["conversation_files"] = link, ["provider_file_uploads"] = upload, ["file_deletion_jobs"] = job,
            };

            var results = new List<string>();
            foreach (var (table, id) in created)
            {
                var read = await CountAsync(connection, $"SELECT count(*) FROM {table} WHERE id = @id", ("id", id));
                results.Add($"{table} read {read}");
            }

            foreach (var table in new[] { "sessions", "conversations", "messages", "files", "conversation_files", "provider_file_uploads" })
            {
                var updated = await ExecuteAsync(connection, $"UPDATE {table} SET metadata = '{{\"by\":\"a\"}}' WHERE id = @id", ("id", created[table]));
                results.Add($"{table} updated {updated}");
            }

            // Children first, so each delete is the user's own and not a cascade.
            foreach (var table in new[] { "provider_file_uploads", "conversation_files", "messages", "conversations", "files", "sessions" })
            {
                var deleted = await ExecuteAsync(connection, $"DELETE FROM {table} WHERE id = @id", ("id", created[table]));
                results.Add($"{table} deleted {deleted}");
            }

            return results;
        });

        outcome.Should().OnlyContain(line => line.EndsWith(" 1", StringComparison.Ordinal)).And.HaveCount(7 + 6 + 6);
    }

    [Test]
    public async Task Deletion_jobs_are_requested_by_their_owner_but_changed_only_by_the_service()
    {
        var job = _rows[("file_deletion_jobs", UserA)];
        var a = Actor.Authenticated(UserA);

        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, "UPDATE file_deletion_jobs SET status = 'completed' WHERE id = @id", ("id", job)));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, "DELETE FROM file_deletion_jobs WHERE id = @id", ("id", job)));

        var byService = await Actor.Service.InTransactionAsync(Db, commit: false, connection =>
            ExecuteAsync(connection, "UPDATE file_deletion_jobs SET status = 'running' WHERE id = @id", ("id", job)));
        byService.Should().Be(1);
    }

    [TestCaseSource(nameof(UserOwnedTables))]
    public async Task An_authenticated_connection_without_a_user_sees_no_user_rows(string table) =>
        (await Actor.AuthenticatedWithoutClaims.QueryAsync<Guid>(Db, $"SELECT id FROM {table}")).Should().BeEmpty();

    [TestCaseSource(nameof(AllTables))]
    public async Task Anon_is_denied_every_table(string table)
    {
        await ShouldBeDeniedAsync(() => Actor.Anon.QueryAsync<long>(Db, $"SELECT count(*) FROM {table}"));
        await ShouldBeDeniedAsync(() => Actor.Anon.ExecuteAsync(Db, $"INSERT INTO {table} DEFAULT VALUES"));
        await ShouldBeDeniedAsync(() => Actor.Anon.ExecuteAsync(Db, $"DELETE FROM {table}"));
    }

    [TestCaseSource(nameof(ReadOnlyTables))]
    public async Task Authenticated_users_read_shared_tables_but_cannot_write_them(string table)
    {
        var a = Actor.Authenticated(UserA);
        var before = await _database.ScalarAsync<long>($"SELECT count(*) FROM {table}");

        (await a.QueryAsync<long>(Db, $"SELECT count(*) FROM {table}")).Should().Equal(before);
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, $"INSERT INTO {table} DEFAULT VALUES"));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, $"UPDATE {table} SET id = id"));
        await ShouldBeDeniedAsync(() => a.ExecuteAsync(Db, $"DELETE FROM {table}"));
    }

    [Test]
    public async Task Authenticated_users_see_the_active_system_prompt() =>
        (await Actor.Authenticated(UserB).QueryAsync<string>(Db, "SELECT prompt_content FROM system_prompts WHERE tool_name = 'chat' AND provider = 'kimi' AND is_active"))
            .Should().Equal("You help.");

    [Test]
    public async Task Authenticated_users_cannot_read_dead_letters() =>
        await ShouldBeDeniedAsync(() => Actor.Authenticated(UserA).QueryAsync<long>(Db, "SELECT count(*) FROM outbox_dead_letters"));

    [TestCaseSource(nameof(UserOwnedTables))]
    public async Task The_service_role_sees_every_users_rows(string table) =>
        (await Actor.Service.QueryAsync<Guid>(Db, $"SELECT id FROM {table}")).Should()
            .BeEquivalentTo([_rows[(table, UserA)], _rows[(table, UserB)]]);

    [Test]
    public async Task The_service_role_writes_system_prompts()
    {
        var changed = await Actor.Service.InTransactionAsync(Db, commit: false, async connection =>
            await ExecuteAsync(connection,
                "INSERT INTO system_prompts (tool_name, provider, tier, prompt_content, version) VALUES ('chat', 'kimi', 2, 'You help more.', 'v2')")
            + await ExecuteAsync(connection, "UPDATE system_prompts SET is_active = false WHERE tool_name = 'chat' AND version = 'v1'")
            + await ExecuteAsync(connection, "UPDATE system_prompts SET is_active = true WHERE tool_name = 'chat' AND version = 'v2'"));

        changed.Should().Be(3);
    }

    private static async Task ShouldBeDeniedAsync(Func<Task> act) =>
        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);

    /// <summary>Rows affected, or 0 when PostgreSQL refuses outright (no privilege for the command at all).</summary>
    private static async Task<int> RowsOrDeniedAsync(Func<Task<int>> act)
    {
        try
        {
            return await act();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            return 0;
        }
    }

    private static async Task<Guid> InsertAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Actor.Command(connection, sql, parameters);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Actor.Command(connection, sql, parameters);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Actor.Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }
}

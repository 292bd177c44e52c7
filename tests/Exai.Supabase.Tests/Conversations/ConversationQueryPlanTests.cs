using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Tests.Conversations;

/// <summary>The read path's statements are index scans on a loaded, analysed table (EXPLAIN).</summary>
public sealed class ConversationQueryPlanTests
{
    private const int Threads = 20_000;
    private const int MessagesPerThread = 10;
    private MigratedDatabase _db = null!;

    [OneTimeSetUp]
    public async Task LoadAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_conversation_plans");
        await _db.ExecuteAsync($"""
            INSERT INTO conversations (id, continuation_id, session_id, user_id, created_at, last_activity_at, expires_at)
            SELECT gen_random_uuid(), 'plan-' || g, NULL, md5(g::text)::uuid, now() - interval '1 day', now() - (g || ' seconds')::interval,
                   CASE WHEN g % 10 = 0 THEN now() - interval '1 hour' ELSE now() + interval '30 days' END
            FROM generate_series(1, {Threads}) g;
            INSERT INTO messages (id, conversation_id, role, content, created_at)
            SELECT gen_random_uuid(), c.id, CASE WHEN k % 2 = 0 THEN 'user' ELSE 'assistant' END, repeat('x', 200), c.created_at + (k || ' seconds')::interval
            FROM conversations c CROSS JOIN generate_series(1, {MessagesPerThread}) k;
            INSERT INTO sessions (id) VALUES ('00000000-0000-0000-0000-000000000001');
            UPDATE conversations SET session_id = '00000000-0000-0000-0000-000000000001' WHERE continuation_id LIKE 'plan-1%';
            INSERT INTO files (id, storage_path) SELECT gen_random_uuid(), 'plan/' || g FROM generate_series(1, 2000) g;
            INSERT INTO conversation_files (conversation_id, file_id)
            SELECT c.id, f.id
            FROM (SELECT id, row_number() OVER () AS rn FROM conversations) c
            JOIN (SELECT id, row_number() OVER () AS rn FROM files) f ON f.rn = (c.rn % 2000) + 1;
            ANALYZE files; ANALYZE conversations; ANALYZE messages; ANALYZE sessions; ANALYZE conversation_files;
            """);
    }

    [OneTimeTearDown]
    public async Task DropAsync() => await _db.DisposeAsync();

    [TestCase(nameof(ConversationSql.Newest), "Index Scan Backward using ix_messages_conversation_id_created_at")]
    [TestCase(nameof(ConversationSql.OlderThan), "Index Scan Backward using ix_messages_conversation_id_created_at")]
    [TestCase(nameof(ConversationSql.History), "Index Scan using ix_messages_conversation_id_created_at")]
    [TestCase(nameof(ConversationSql.Thread), "Index Scan using ux_conversations_continuation_id")]
    [TestCase(nameof(ConversationSql.SessionThreads), "ix_conversations_session_id_last_activity")]
    [TestCase(nameof(ConversationSql.UserThreads), "ix_conversations_user_id_last_activity")]
    [TestCase(nameof(ConversationSql.Files), "ux_conversation_files_conversation_id_file_id")]
    [TestCase(nameof(ConversationSql.DeleteExpired), "ix_conversations_expires_at")]
    public async Task The_statement_is_an_index_scan(string statement, string expected)
    {
        var sql = (string)typeof(ConversationSql).GetField(statement)!.GetValue(null)!;

        var readsTurns = statement is nameof(ConversationSql.Newest) or nameof(ConversationSql.OlderThan) or nameof(ConversationSql.History);

        var plan = await ExplainAsync(sql, withPlanSettings: readsTurns || statement is nameof(ConversationSql.Thread) or nameof(ConversationSql.Files));

        plan.Should().Contain(expected).And.NotContain("Seq Scan", $"{statement} must not scan a table:\n{plan}");
        if (readsTurns)
        {
            plan.Should().NotContain("Sort", $"the index gives the order, so a read stops at its limit:\n{plan}")
                .And.NotContain("Bitmap", $"a bitmap scan reads every turn of the thread:\n{plan}");
        }
    }

    /// <summary>
    /// Explains the statement the way the service scope sends it: the plan settings and the statement in one command
    /// without an explicit transaction (one implicit transaction), so the test also shows the setting takes effect.
    /// </summary>
    private async Task<string> ExplainAsync(string sql, bool withPlanSettings)
    {
        await using var connection = await _db.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand((withPlanSettings ? ConversationSql.PlanSettings + "; " : "") + "EXPLAIN " + sql, connection);
        command.Parameters.Add(new NpgsqlParameter("cid", NpgsqlDbType.Text) { Value = "plan-4242" });
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = DateTimeOffset.UtcNow });
        command.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Integer) { Value = 50 });
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = DateTimeOffset.UtcNow });
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = Guid.NewGuid() });
        command.Parameters.Add(new NpgsqlParameter("owner", NpgsqlDbType.Uuid) { Value = Guid.Parse("00000000-0000-0000-0000-000000000001") });
        var lines = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        var plan = string.Join('\n', lines);
        await TestContext.Progress.WriteLineAsync(plan);
        return plan;
    }
}

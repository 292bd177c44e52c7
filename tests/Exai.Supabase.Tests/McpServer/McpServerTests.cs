using System.Text.Json;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.McpServer;

/// <summary>
/// The MCP server sample as a client sees it: started as a process on a fresh database (it migrates it itself), driven
/// over stdio by the SDK's own client, and checked in the database afterwards.
/// </summary>
public sealed class McpServerTests
{
    private static readonly TimeSpan Landing = TimeSpan.FromSeconds(30);

    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;
    private McpServerProcess _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_mcp", migrate: false);
        _apis = await LocalFileApis.StartAsync();
        _server = await McpServerProcess.StartAsync(_db.ConnectionString, KimiSettings(_apis));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _apis.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task The_server_migrates_its_database_at_start_and_lists_every_tool_with_snake_case_arguments()
    {
        (await _db.ScalarAsync<long>("SELECT count(*) FROM __exai_migrations_history")).Should().BeGreaterThan(0);

        var tools = await _server.Client.ListToolsAsync();

        tools.Select(t => t.Name).Should().BeEquivalentTo(
            "chat", "memory_history", "prompt_get", "prompt_set", "prompt_rollback", "file_register", "file_list", "file_orphans",
            "issue_create", "issue_update", "issue_get", "server_status");
        tools.Should().OnlyContain(t => !string.IsNullOrWhiteSpace(t.Description));
        var chat = tools.Single(t => t.Name == "chat").JsonSchema;
        chat.GetProperty("properties").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("prompt", "continuation_id", "file_ids");
        chat.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Should().Equal("prompt");
    }

    [Test]
    public async Task Chat_continues_a_thread_by_its_continuation_id_and_keeps_it_in_the_database()
    {
        var first = await _server.CallOkAsync("chat", new { prompt = "my name is Ada" });
        var continuationId = first.GetProperty("continuation_id").GetString()!;
        Guid.TryParse(continuationId, out _).Should().BeTrue("a new thread gets a UUID");
        first.GetProperty("answer").GetString().Should().Be("echo: my name is Ada (user turn 1 of this conversation)");
        first.GetProperty("history_turns").GetInt32().Should().Be(0);

        var second = await _server.CallOkAsync("chat", new { prompt = "what is my name?", continuation_id = continuationId });

        second.GetProperty("continuation_id").GetString().Should().Be(continuationId);
        second.GetProperty("answer").GetString().Should().Be("echo: what is my name? (user turn 2 of this conversation; previous: \"my name is Ada\")");
        second.GetProperty("history_turns").GetInt32().Should().Be(2, "the first exchange was sent along");
        second.GetProperty("provider").GetString().Should().Be("echo");

        var history = await _server.CallOkAsync("memory_history", new { continuation_id = continuationId });
        history.GetProperty("turns").EnumerateArray().Select(t => t.GetProperty("role").GetString())
            .Should().Equal("user", "assistant", "user", "assistant");

        var landed = await Eventually.ReturnsAsync(
            () => _db.ColumnAsync<string>(
                "SELECT m.role || ':' || coalesce(m.provider, '') || ':' || coalesce(m.model, '') || ':' || m.content FROM messages m "
                + "JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id = @id ORDER BY m.created_at, m.id",
                ("id", continuationId)),
            rows => rows.Count == 4, Landing, "the four turns landing");
        landed.Should().Equal(
            "user:::my name is Ada",
            "assistant:echo:echo-1:echo: my name is Ada (user turn 1 of this conversation)",
            "user:::what is my name?",
            "assistant:echo:echo-1:" + second.GetProperty("answer").GetString());
        (await Eventually.ReturnsAsync(
            () => _db.ScalarAsync<long>(
                "SELECT count(*) FROM prompt_performance WHERE tool_name = 'chat' AND provider = 'echo' AND success AND token_count > 0 "
                + "AND metadata ->> 'continuation_id' = @id", ("id", continuationId)),
            n => n == 2, Landing, "the two prompt executions landing")).Should().Be(2);
    }

    [Test]
    public async Task Prompts_are_set_read_and_rolled_back_and_chat_uses_the_active_one()
    {
        var error = await _server.CallErrorAsync("prompt_get", new { tool = "mcp_review" });
        error.Should().Contain("mcp_review", "the library's message names what was looked for");

        var v1 = await _server.CallOkAsync("prompt_set", new { tool = "mcp_review", content = "Review carefully.", version = "r1", author = "alice" });
        v1.GetProperty("created").GetBoolean().Should().BeTrue();
        var v2 = await _server.CallOkAsync("prompt_set", new { tool = "mcp_review", content = "Review briefly.", version = "r2", author = "alice", description = "shorter" });
        v2.GetProperty("previous_version").GetString().Should().Be("r1");

        var current = await _server.CallOkAsync("prompt_get", new { tool = "mcp_review", provider = "kimi", include_versions = true });
        current.GetProperty("version").GetString().Should().Be("r2");
        current.GetProperty("content").GetString().Should().Be("Review briefly.");
        current.GetProperty("source_provider").GetString().Should().Be("base", "kimi has no version of its own");
        current.GetProperty("versions").GetArrayLength().Should().Be(0, "the versions listed are kimi's own");

        var rolledBack = await _server.CallOkAsync("prompt_rollback", new { tool = "mcp_review", changed_by = "bob", reason = "too terse" });
        rolledBack.GetProperty("version").GetString().Should().Be("r1");
        rolledBack.GetProperty("previous_version").GetString().Should().Be("r2");
        (await _server.CallOkAsync("prompt_get", new { tool = "mcp_review" })).GetProperty("content").GetString().Should().Be("Review carefully.");
        (await _db.ColumnAsync<string>("SELECT version FROM system_prompts WHERE tool_name = 'mcp_review' AND provider = 'base' AND is_active"))
            .Should().Equal("r1");
        (await _db.ScalarAsync<long>("SELECT count(*) FROM prompt_versions WHERE tool_name = 'mcp_review' AND changed_by = 'bob'")).Should().Be(1);

        // The chat tool's own system prompt, stored for the provider it runs with, is used from the next call on.
        var stored = await _server.CallOkAsync("prompt_set", new { tool = "chat", provider = "echo", content = "You echo.", version = "mcp-test" });
        var answer = await _server.CallOkAsync("chat", new { prompt = "hello" });
        answer.GetProperty("prompt_version").GetString().Should().Be("mcp-test");
        var promptId = stored.GetProperty("prompt_id").GetGuid();
        await Eventually.TrueAsync(
            async () => await _db.ScalarAsync<long>("SELECT count(*) FROM prompt_performance WHERE prompt_id = @id AND prompt_version = 'mcp-test'", ("id", promptId)) == 1,
            Landing, "the execution counted for the stored version");
    }

    [Test]
    public async Task Issues_are_created_and_updated_through_the_status_flow()
    {
        var created = await _server.CallOkAsync("issue_create", new
        {
            title = "Timeouts on long diffs",
            severity = "CRITICAL",
            components = new[] { "providers" },
            continuation_id = "mcp-issue-thread",
            checklist = new[] { "reproduce", "fix" },
        });
        var issueId = created.GetProperty("issue_id").GetGuid();
        created.GetProperty("status").GetString().Should().Be("open");
        created.GetProperty("severity").GetString().Should().Be("critical");
        created.GetProperty("priority").GetString().Should().Be("p0", "a critical issue implies p0");

        var working = await _server.CallOkAsync("issue_update", new { issue_id = issueId, status = "in progress", root_cause = "no timeout on the stream", comment = "looking" });
        working.GetProperty("status").GetString().Should().Be("in_progress");
        working.GetProperty("root_cause").GetString().Should().Be("no timeout on the stream");

        var refused = await _server.CallErrorAsync("issue_update", new { issue_id = issueId, status = "verified" });
        refused.Should().Contain("fixed", "the library's message names the allowed moves");

        var fixedIssue = await _server.CallOkAsync("issue_update", new { issue_id = issueId, status = "Resolved", fix = "timeout of 60 s", author = "carol" });
        fixedIssue.GetProperty("status").GetString().Should().Be("fixed", "legacy 'Resolved' reads as fixed");

        await Eventually.TrueAsync(
            async () => await _db.ScalarAsync<long>("SELECT count(*) FROM issues WHERE id = @id AND fix IS NOT NULL", ("id", issueId)) == 1
                && await _db.ScalarAsync<long>("SELECT count(*) FROM issue_updates WHERE issue_id = @id AND kind = 'comment'", ("id", issueId)) == 1,
            Landing, "the fix and the comment landing");
        (await _db.ColumnAsync<string>("SELECT status || ':' || severity || ':' || root_cause || ':' || coalesce(fix, '') FROM issues WHERE id = @id", ("id", issueId)))
            .Should().Equal("fixed:critical:no timeout on the stream:timeout of 60 s");
        (await _db.ColumnAsync<string>("SELECT kind FROM issue_updates WHERE issue_id = @id ORDER BY created_at, id", ("id", issueId)))
            .Should().Contain(["created", "field_change", "status_change", "comment", "fix_applied"])
            .And.Subject.Count(k => k == "status_change").Should().Be(2, "the refused move wrote nothing");
        var details = await _server.CallOkAsync("issue_get", new { issue_id = issueId });
        details.GetProperty("checklist").EnumerateArray().Select(i => i.GetProperty("text").GetString()).Should().Equal("reproduce", "fix");
        details.GetProperty("issue").GetProperty("linked_conversations").EnumerateArray().Select(c => c.GetString()).Should().Equal("mcp-issue-thread");
    }

    [Test]
    public async Task Files_are_registered_linked_to_a_conversation_listed_and_checked_for_orphans()
    {
        var path = $"mcp/{Guid.NewGuid():N}/report.pdf";
        var registered = await _server.CallOkAsync("file_register", new
        {
            storage_path = path,
            original_name = "report.pdf",
            mime_type = "application/pdf",
            size_bytes = 1234,
            provider = "kimi",
            provider_file_id = "file-mcp-1",
            purpose = "file-extract",
        });
        var fileId = registered.GetProperty("file_id").GetGuid();
        var again = await _server.CallOkAsync("file_register", new { storage_path = path, original_name = "report.pdf", mime_type = "application/pdf", size_bytes = 1234 });
        again.GetProperty("file_id").GetGuid().Should().Be(fileId, "a file's id follows from its bucket and path");

        var chat = await _server.CallOkAsync("chat", new { prompt = "summarise the report", file_ids = new[] { fileId } });
        var continuationId = chat.GetProperty("continuation_id").GetString()!;
        var listed = await _server.CallOkAsync("file_list", new { continuation_id = continuationId });
        var entry = listed.GetProperty("files").EnumerateArray().Should().ContainSingle().Subject;
        entry.GetProperty("file_id").GetGuid().Should().Be(fileId);
        entry.GetProperty("file").GetProperty("storage_path").GetString().Should().Be(path);
        entry.GetProperty("file").GetProperty("uploads").EnumerateArray().Select(u => u.GetProperty("provider_file_id").GetString()).Should().Equal("file-mcp-1");

        await Eventually.TrueAsync(
            async () => await _db.ScalarAsync<long>(
                "SELECT count(*) FROM conversation_files cf JOIN conversations c ON c.id = cf.conversation_id "
                + "JOIN files f ON f.id = cf.file_id JOIN provider_file_uploads u ON u.file_id = f.id "
                + "WHERE c.continuation_id = @id AND f.storage_path = @path AND u.provider = 'kimi' AND u.provider_file_id = 'file-mcp-1'",
                ("id", continuationId), ("path", path)) == 1,
            Landing, "the file, its upload record and its link to the thread landing");

        var orphan = _apis.Kimi.Add("file-extract", DateTimeOffset.UtcNow.AddDays(-2), "forgotten.txt");
        var report = await _server.CallOkAsync("file_orphans", new { provider = "kimi" });
        report.GetProperty("unknown_provider_files").EnumerateArray().Select(f => f.GetProperty("id").GetString()).Should().Contain(orphan.Id);
        report.GetProperty("cleaned_up").GetBoolean().Should().BeFalse();
    }

    [Test]
    public async Task Bad_input_returns_a_tool_error_with_the_library_message_and_the_server_keeps_answering()
    {
        (await _server.CallErrorAsync("chat", new { prompt = "hi", continuation_id = new string('x', 300) }))
            .Should().Contain("256", "the library names the limit of a continuation id");
        (await _server.CallErrorAsync("chat", new { prompt = "   " })).Should().Contain("prompt must not be empty");
        (await _server.CallErrorAsync("issue_create", new { title = "x", severity = "catastrophic" }))
            .Should().Contain("catastrophic").And.Contain("critical", "the message lists the accepted values");
        (await _server.CallErrorAsync("issue_update", new { issue_id = Guid.NewGuid(), comment = "anyone?" }))
            .Should().NotBeNullOrWhiteSpace();
        (await _server.CallErrorAsync("issue_update", new { issue_id = Guid.NewGuid() })).Should().StartWith("Nothing to update");
        (await _server.CallErrorAsync("file_orphans", new { provider = "nowhere" })).Should().Contain("nowhere");
        (await _server.CallErrorAsync("file_register", new { storage_path = "../etc/passwd" })).Should().Contain("..");
        (await _server.CallErrorAsync("prompt_set", new { tool = "mcp_tier", content = "x", tier = 7 })).Should().Contain("7");

        (await _server.CallOkAsync("server_status")).GetProperty("database_available").GetBoolean().Should().BeTrue();
    }

    [Test]
    public async Task Every_tool_call_is_recorded_with_its_tool_duration_outcome_and_error()
    {
        // A client of its own, so its calls can be told apart in prompt_performance by the client name recorded.
        var client = $"recording-{Guid.NewGuid():N}"[..24];
        await using var server = await McpServerProcess.StartAsync(_db.ConnectionString, KimiSettings(_apis), client);

        await server.CallOkAsync("chat", new { prompt = "one" });
        await server.CallErrorAsync("issue_create", new { title = "x", severity = "catastrophic" });
        await server.CallOkAsync("server_status", new { flush = true });

        var rows = await Eventually.ReturnsAsync(
            () => _db.ColumnAsync<string>(
                "SELECT tool_name || '|' || success || '|' || coalesce(error_message, '') || '|' || (execution_time_ms >= 0) FROM prompt_performance "
                + "WHERE provider = 'mcp' AND prompt_version = 'tool-call' AND prompt_id IS NULL AND metadata ->> 'client' = @client ORDER BY executed_at",
                ("client", client)),
            r => r.Count == 3, Landing, "one row per tool call");
        rows[0].Should().Be("chat|true||true");
        rows[1].Should().StartWith("issue_create|false|").And.Contain("catastrophic");
        rows[2].Should().Be("server_status|true||true");
    }

    [Test]
    public async Task Standard_output_carries_nothing_but_protocol_messages()
    {
        // Calls of every kind (and a failing one) have been made by the other tests on this server; the SDK's client
        // logs every line of standard output it cannot read as a message.
        await _server.CallOkAsync("chat", new { prompt = "anything on stdout?" });
        await _server.CallErrorAsync("issue_get", new { issue_id = Guid.NewGuid() });

        // (The server's standard error lines, which the client also logs, may well say "parse" in a stack trace.)
        _server.ClientLog.Lines.Where(l => l.EventId.Name != "LogReadStderr").Should().NotContain(
            l => l.Message.Contains("parse", StringComparison.OrdinalIgnoreCase) || l.Message.Contains("unexpected", StringComparison.OrdinalIgnoreCase),
            "the server writes nothing but protocol messages to standard output");
        _server.StandardError.Should().Contain(l => l.Contains("Application started", StringComparison.Ordinal), "the logs go to standard error");
    }

    private static Dictionary<string, string?> KimiSettings(LocalFileApis apis) => new()
    {
        ["Exai__Files__Providers__kimi__BaseUrl"] = apis.KimiBaseUrl,
        ["Exai__Files__Providers__kimi__ApiKey"] = LocalFileApis.KimiKey,
    };
}

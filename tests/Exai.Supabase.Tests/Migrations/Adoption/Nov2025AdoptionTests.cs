namespace Exai.Supabase.Tests.Migrations.Adoption;

/// <summary>The November 2025 shape (see Fixtures/legacy_nov2025.sql) and its awkward rows.</summary>
public sealed class Nov2025AdoptionTests : AdoptionTestsBase
{
    private const string TripleId = "0d800000-0000-4000-8000-000000000002";
    private const string Thread = "0d100000-0000-4000-8000-000000000001";

    public Nov2025AdoptionTests()
        : base("legacy_nov2025.sql", ["issue_summary", "open_issue_count"],
            ["schema_version", "exai_future_enhancements", "exai_tool_validation", "audit_logs", "file_id_mappings"])
    {
    }

    [TestCase("0d200000-0000-4000-8000-000000000001", Thread, "user")]
    [TestCase("0d200000-0000-4000-8000-000000000002", Thread, "assistant")]
    [TestCase("0d200000-0000-4000-8000-000000000005", "0d100000-0000-4000-8000-000000000002", "user")]
    [TestCase("0d200000-0000-4000-8000-000000000006", "0d100000-0000-4000-8000-000000000002", "tool")]
    public async Task Text_conversation_ids_resolve_by_id_in_any_case_or_by_continuation_id(string message, string conversation, string role)
    {
        var row = await AdoptedAsync("messages", "messages", message);

        (row.Text("conversation_id"), row.Text("role")).Should().Be((conversation, role));
        row.Path("metadata", "adoption", "unresolved").Should().BeNull();
    }

    [Test]
    public async Task Messages_of_a_conversation_nothing_resolves_share_a_stand_in_thread_named_by_the_reference()
    {
        var first = await AdoptedAsync("messages", "messages", "0d200000-0000-4000-8000-000000000007");
        var second = await AdoptedAsync("messages", "messages", "0d200000-0000-4000-8000-000000000008");
        var standIn = await AdoptedAsync("conversations", "unresolved:conversations", "ghost-thread-9");

        first.Text("conversation_id").Should().Be(standIn.Text("id")).And.Be(second.Text("conversation_id"));
        standIn.Text("continuation_id").Should().Be("ghost-thread-9", "a later message sent to that continuation id lands in the same thread");
        standIn.Time("created_at").Should().Be(new DateTimeOffset(2025, 11, 12, 0, 0, 0, TimeSpan.Zero));
        (first.Text("role"), first.Text("content")).Should().Be(("tool", ""));
        first.Path("metadata", "legacy", "role")!.Value.GetString().Should().Be("function");
        Plan.Findings.Should().Contain(f => f.Kind == "stand_in" && f.SourceId == "ghost-thread-9");
    }

    [Test]
    public async Task Identical_messages_are_recognised_as_one_sent_twice()
    {
        var second = await AdoptedAsync("messages", "messages", "0d200000-0000-4000-8000-000000000004");

        second.Path("metadata", "adoption", "duplicate_of")!.Value.GetString().Should().Be("0d200000-0000-4000-8000-000000000003");
        (await QueryAsync("SELECT count(*) FROM messages WHERE conversation_id = @c AND content = 'Add it please'", r => r.GetInt64(0),
            ("c", Guid.Parse(Thread)))).Single().Should().Be(2);
    }

    [Test]
    public async Task Session_text_keys_resolve_to_the_adopted_session_and_unknown_ones_are_kept()
    {
        var planned = await AdoptedAsync("conversations", "conversations", Thread);
        var gone = await AdoptedAsync("conversations", "conversations", "0d100000-0000-4000-8000-000000000003");
        var session = await AdoptedAsync("sessions", "sessions", "0d000000-0000-4000-8000-000000000001");
        var agent = await AdoptedAsync("sessions", "sessions", "0d000000-0000-4000-8000-000000000002");

        planned.Text("session_id").Should().Be("0d000000-0000-4000-8000-000000000001");
        gone.Text("session_id").Should().BeNull();
        gone.Path("metadata", "adoption", "unresolved", "session_id")!.Value.GetString().Should().Be("sess-gone");
        (session.Text("user_id"), session.Text("client_name")).Should().Be(("7e57e57e-1111-4222-8333-444455556666", "claude-code/2.0"));
        session.Time("last_seen_at").Should().Be(new DateTimeOffset(2025, 11, 10, 2, 0, 0, TimeSpan.Zero).AddTicks(9876540));
        session.Path("metadata", "legacy", "ip_address")!.Value.GetString().Should().Be("10.0.0.7");
        agent.Text("user_id").Should().BeNull();
        agent.Path("metadata", "legacy", "user_id")!.Value.GetString().Should().Be("agent:planner");
    }

    [Test]
    public async Task Conversation_file_links_resolve_by_path_and_a_file_id_nothing_resolves_keeps_its_value_on_a_stand_in()
    {
        var byPath = await AdoptedAsync("conversation_files", "conversation_files", "0d400000-0000-4000-8000-000000000002");
        var unresolved = await AdoptedAsync("conversation_files", "conversation_files", "0d400000-0000-4000-8000-000000000003");
        var standIn = await AdoptedAsync("files", "unresolved:files", "file-legacy-xyz");

        (byPath.Text("conversation_id"), byPath.Text("file_id")).Should().Be(("0d100000-0000-4000-8000-000000000002", "0d300000-0000-4000-8000-000000000001"));
        unresolved.Text("file_id").Should().Be(standIn.Text("id"));
        unresolved.Path("metadata", "legacy", "file_id")!.Value.GetString().Should().Be("file-legacy-xyz");
        (standIn.Text("bucket"), standIn.Text("storage_path")).Should().Be(("exai-legacy", "unresolved/file-legacy-xyz"));
        standIn.Path("metadata", "adoption", "stand_in")!.Value.GetBoolean().Should().BeTrue();
    }

    [Test]
    public async Task One_uuid_in_three_issue_tables_gives_three_issues_that_name_each_other()
    {
        var rows = await QueryAsync("SELECT id::text, source_table, metadata::text FROM issues WHERE source_id = @id ORDER BY source_table",
            r => (r.GetString(0), r.GetString(1), r.GetString(2)), ("id", TripleId));

        rows.Select(r => r.Item2).Should().Equal("exai_issues", "exai_issues_tracker", "phase1_issues");
        rows.Count(r => r.Item1 == TripleId).Should().Be(1);
        rows.Should().OnlyContain(r => r.Item3.Contains("shares_legacy_id_with", StringComparison.Ordinal));
        var tracker = await AdoptedAsync("issues", "exai_issues_tracker", TripleId);
        (tracker.Text("title"), tracker.Text("severity"), tracker.Text("priority"), tracker.Text("status"))
            .Should().Be(("Cache hit rate is not measured", "medium", "p2", "in_progress"));
    }

    [Test]
    public async Task An_update_of_a_deleted_issue_is_kept_on_a_stand_in_issue()
    {
        var update = await AdoptedAsync("issue_updates", "exai_issue_updates", "0d810000-0000-4000-8000-000000000002");
        var standIn = await AdoptedAsync("issues", "unresolved:issues", "0d8fffff-0000-4000-8000-00000000dead");
        var statusChange = await AdoptedAsync("issue_updates", "exai_issue_updates", "0d810000-0000-4000-8000-000000000001");

        update.Text("issue_id").Should().Be(standIn.Text("id"));
        (update.Text("kind"), update.Text("body")).Should().Be(("comment", "Left over from a deleted issue"));
        (statusChange.Text("from_status"), statusChange.Text("to_status")).Should().Be(("open", "fixed"));
        statusChange.Path("metadata", "legacy", "new_status")!.Value.GetString().Should().Be("RESOLVED");
    }

    [Test]
    public async Task An_index_of_a_kept_table_whose_name_the_new_schema_needs_is_renamed()
    {
        var indexes = await QueryAsync("SELECT indexname, tablename FROM pg_indexes WHERE schemaname = 'public' AND indexname LIKE 'ix_files_sha256%' ORDER BY 1",
            r => (r.GetString(0), r.GetString(1)));

        indexes.Should().Equal(("ix_files_sha256", "files"), ("ix_files_sha256_legacy", "file_id_mappings"));
        Plan.RenamedIndexes.Should().Equal("ix_files_sha256 -> ix_files_sha256_legacy (on file_id_mappings)");
        (await Db.ScalarAsync<long>("SELECT count(*) FROM exai_legacy.adoption_journal WHERE step = 'renamed_index'")).Should().Be(1);
    }

    [Test]
    public async Task The_realtime_publication_gains_the_new_tables_and_keeps_the_old_members()
    {
        var members = await QueryAsync("SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = 'supabase_realtime'", r => r.GetString(0));

        members.Should().Contain(["public.conversations", "public.messages", "exai_legacy.conversations", "exai_legacy.messages"]);
    }

    [Test]
    public async Task Files_in_two_buckets_under_one_path_stay_two_files_and_bad_hashes_are_kept_aside()
    {
        var generated = await AdoptedAsync("files", "files", "0d300000-0000-4000-8000-000000000002");
        var user = await AdoptedAsync("files", "files", "0d300000-0000-4000-8000-000000000001");

        (generated.Text("bucket"), generated.Text("storage_path"), generated.Text("sha256"), generated.Text("file_type"))
            .Should().Be(("generated-files", "u/7e57/plan.pdf", null, "cache"));
        generated.Path("metadata", "adoption", "invalid", "sha256")!.Value.GetString().Should().Be("not-a-hash");
        user.Text("size_bytes").Should().Be("3000000000");
    }

    [Test]
    public async Task Rows_of_file_metadata_without_provider_ids_become_supabase_storage_uploads()
    {
        var plan = await AdoptedAsync("provider_file_uploads", "file_metadata", "0d700000-0000-4000-8000-000000000001");

        (plan.Text("provider"), plan.Text("provider_file_id"), plan.Text("file_id"), plan.Text("size_bytes"))
            .Should().Be(("supabase", "u/7e57/plan.pdf", "0d300000-0000-4000-8000-000000000001", "3000000000"));
        plan.Path("metadata", "legacy", "access_count")!.Value.GetInt32().Should().Be(5);
        plan.Path("metadata", "legacy", "file_id")!.Value.GetString().Should().Be("0d0f0000-0000-4000-8000-000000000001");
    }

    [Test]
    public async Task A_deletion_job_created_without_a_time_zone_keeps_its_time_as_utc()
    {
        var job = await AdoptedAsync("file_deletion_jobs", "file_deletion_jobs", "0d600000-0000-4000-8000-000000000001");
        var failed = await AdoptedAsync("file_deletion_jobs", "file_deletion_jobs", "0d600000-0000-4000-8000-000000000002");

        job.Time("created_at").Should().Be(new DateTimeOffset(2025, 11, 13, 0, 0, 0, TimeSpan.Zero));
        job.Time("next_attempt_at").Should().Be(new DateTimeOffset(2025, 11, 20, 0, 0, 0, TimeSpan.Zero));
        (job.Text("file_id"), job.Text("reason")).Should().Be(("0d300000-0000-4000-8000-000000000002", "expired"));
        (failed.Text("status"), failed.Text("file_id")).Should().Be(("failed", null));
        failed.Path("metadata", "adoption", "unresolved", "file_id")!.Value.GetString().Should().Be("gone-file");
    }
}

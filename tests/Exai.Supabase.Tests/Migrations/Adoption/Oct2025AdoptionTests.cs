namespace Exai.Supabase.Tests.Migrations.Adoption;

/// <summary>The October 2025 shape (see Fixtures/legacy_oct2025.sql) and its awkward rows.</summary>
public sealed class Oct2025AdoptionTests : AdoptionTestsBase
{
    private const string SharedIssueId = "0c700000-0000-4000-8000-000000000003";

    public Oct2025AdoptionTests()
        : base("legacy_oct2025.sql", ["exai_active_issues", "all_issue_titles"],
            ["schema_version", "exai_future_enhancements", "exai_tool_validation", "exai_session_notes", "file_embeddings"])
    {
    }

    [Test]
    public async Task The_same_uuid_in_two_issue_tables_stays_traceable_to_both()
    {
        var fromIssues = await AdoptedAsync("issues", "exai_issues", SharedIssueId);
        var fromTracker = await AdoptedAsync("issues", "exai_issues_tracker", SharedIssueId);

        fromIssues.Text("id").Should().Be(SharedIssueId, "the first table keeps the UUID");
        fromTracker.Text("id").Should().NotBe(SharedIssueId);
        fromIssues.Text("title").Should().Be("Continuation id loses context");
        fromTracker.Text("title").Should().Be("Continuation ID Context Loss");
        fromIssues.Path("metadata", "adoption", "shares_legacy_id_with")!.Value[0].Text("source_table").Should().Be("exai_issues_tracker");
        fromTracker.Path("metadata", "adoption", "shares_legacy_id_with")!.Value[0].Text("id").Should().Be(SharedIssueId);
        Plan.Findings.Should().Contain(f => f.Kind == "shares_legacy_id_with" && f.SourceId == SharedIssueId);
    }

    [TestCase("exai_issues_tracker", SharedIssueId, "critical", "p0", "in_progress")]
    [TestCase("exai_issues_tracker", "0c800000-0000-4000-8000-000000000002", "high", "p1", "open")]
    [TestCase("exai_issues_tracker", "0c800000-0000-4000-8000-000000000003", "critical", "p0", "fixed")]
    [TestCase("exai_issues_tracker", "0c800000-0000-4000-8000-000000000004", "medium", "p2", "wont_fix")]
    [TestCase("exai_issues", "0c700000-0000-4000-8000-000000000001", "critical", "p0", "fixed")]
    [TestCase("exai_issues", "0c700000-0000-4000-8000-000000000002", "high", "p1", "open")]
    [TestCase("issues", "1", "medium", "p0", "fixed")]
    [TestCase("phase1_issues", "1", "critical", "p0", "fixed")]
    [TestCase("phase1_issues", "3", "low", "p3", "open")]
    public async Task Mixed_case_and_free_text_vocabularies_map_onto_the_tracker(string table, string id, string severity, string priority, string status)
    {
        var issue = await AdoptedAsync("issues", table, id);

        (issue.Text("severity"), issue.Text("priority"), issue.Text("status")).Should().Be((severity, priority, status));
    }

    [Test]
    public async Task Values_the_vocabulary_does_not_know_are_kept_and_reported()
    {
        var annoying = await AdoptedAsync("issues", "exai_issues_tracker", "0c800000-0000-4000-8000-000000000004");
        annoying.Path("metadata", "adoption", "unmapped", "severity")!.Value.GetString().Should().Be("Annoying");
        annoying.Path("metadata", "legacy", "status")!.Value.GetString().Should().Be("Won't Fix");

        var deferred = await AdoptedAsync("issues", "phase1_issues", "3");
        deferred.Path("metadata", "adoption", "unmapped", "status")!.Value.GetString().Should().Be("Deferred to phase 2");
        deferred.Text("title").Should().Be("Timezone of logs is UTC", "a blank title falls back on the description");
        deferred.Path("metadata", "adoption", "blank_title")!.Value.GetString().Should().BeEmpty();
        Plan.Findings.Should().Contain(f => f.Kind == "unmapped" && f.SourceTable == "exai_issues_tracker");
    }

    [Test]
    public async Task A_timestamp_without_time_zone_is_read_as_utc_and_kept_as_stored()
    {
        var issue = await AdoptedAsync("issues", "phase1_issues", "1");

        issue.Time("created_at").Should().Be(new DateTimeOffset(2025, 10, 10, 9, 0, 0, TimeSpan.Zero));
        issue.Path("metadata", "legacy", "created_at")!.Value.GetString().Should().Be("2025-10-10T09:00:00");
    }

    [Test]
    public async Task A_message_sent_twice_is_recognised_and_both_copies_are_kept()
    {
        var first = await AdoptedAsync("messages", "messages", "0c200000-0000-4000-8000-000000000003");
        var second = await AdoptedAsync("messages", "messages", "0c200000-0000-4000-8000-000000000004");
        var laterSameWords = await AdoptedAsync("messages", "messages", "0c200000-0000-4000-8000-000000000006");

        second.Path("metadata", "adoption", "duplicate_of")!.Value.GetString().Should().Be("0c200000-0000-4000-8000-000000000003");
        second.Text("content").Should().Be(first.Text("content"));
        second.Path("metadata", "legacy", "idempotency_key")!.Value.GetString().Should().Be("k3-retry");
        first.Path("metadata", "adoption").Should().BeNull();
        laterSameWords.Path("metadata", "adoption").Should().BeNull("the same words twenty minutes apart are two messages");
        (second.Text("model"), second.Text("input_tokens"), second.Text("output_tokens")).Should().Be(("glm-4.6", "812", "64"));
    }

    [Test]
    public async Task A_message_without_a_conversation_gets_a_stand_in_thread()
    {
        var orphan = await AdoptedAsync("messages", "messages", "0c200000-0000-4000-8000-000000000008");
        var thread = (await QueryAsync("SELECT continuation_id, source_table, source_id FROM conversations WHERE id = @id",
            r => (r.GetString(0), r.GetString(1), r.GetString(2)), ("id", Guid.Parse(orphan.Text("conversation_id")!)))).Single();

        thread.Should().Be(("exai-legacy:no-conversation", "unresolved:conversations", "(null)"));
        orphan.Path("metadata", "adoption", "unresolved", "conversation_id")!.Value.GetString().Should().Be("(null)");
    }

    [Test]
    public async Task Text_file_ids_become_foreign_keys_when_they_resolve_and_stay_as_they_were_when_not()
    {
        var byId = await AdoptedAsync("provider_file_uploads", "provider_file_uploads", "0c400000-0000-4000-8000-000000000001");
        var deadId = await AdoptedAsync("provider_file_uploads", "provider_file_uploads", "0c400000-0000-4000-8000-000000000002");
        var notAnId = await AdoptedAsync("provider_file_uploads", "provider_file_uploads", "0c400000-0000-4000-8000-000000000003");
        var byPath = await AdoptedAsync("provider_file_uploads", "provider_file_uploads", "0c400000-0000-4000-8000-000000000004");

        byId.Text("file_id").Should().Be("0c300000-0000-4000-8000-000000000001");
        byPath.Text("file_id").Should().Be("0c300000-0000-4000-8000-000000000002");
        deadId.Text("file_id").Should().BeNull();
        deadId.Path("metadata", "legacy", "supabase_file_id")!.Value.GetString().Should().Be("0c3fffff-0000-4000-8000-00000000dead");
        deadId.Path("metadata", "adoption", "unresolved", "file_id")!.Value.GetString().Should().Be("0c3fffff-0000-4000-8000-00000000dead");
        notAnId.Text("file_id").Should().BeNull();
        notAnId.Path("metadata", "legacy", "supabase_file_id")!.Value.GetString().Should().Be("upload-skipped");
        (notAnId.Text("status"), notAnId.Text("error_message")).Should().Be(("failed", "Request Entity Too Large"));
        byPath.Text("status").Should().Be("deleted");
    }

    [Test]
    public async Task File_metadata_gives_one_upload_per_provider_id_with_its_hash_paths_and_access_figures()
    {
        var rows = await Db.AdoptedRowsAsync("provider_file_uploads", "file_metadata");
        rows.Select(r => (r.Text("provider"), r.Text("provider_file_id"))).Should().BeEquivalentTo(new[]
        {
            ("kimi", "d3kimi-aaa"), ("glm", "glm-file-77"),
            ("kimi", "d3kimi-ccc"), ("glm", "glm-a1"), ("glm", "glm-a2"),
            ("supabase", "user-files/orphan.bin"),
        });

        var kimi = rows.Single(r => r.Text("provider_file_id") == "d3kimi-aaa");
        kimi.Text("sha256").Should().Be(LegacyRows["file_metadata"][0].Text("file_hash"));
        kimi.Text("file_id").Should().Be("0c300000-0000-4000-8000-000000000001");
        kimi.Path("metadata", "legacy", "access_count")!.Value.GetInt32().Should().Be(12);
        kimi.Path("metadata", "legacy", "local_cache_path")!.Value.GetString().Should().Be("/app/.cache/report.md");
        kimi.Path("metadata", "legacy", "supabase_storage_path")!.Value.GetString().Should().Be("user-files/2025/10/report.md");
        kimi.Time("last_used_at").Should().Be(new DateTimeOffset(2025, 10, 20, 11, 0, 0, TimeSpan.Zero));
        kimi.Path("metadata", "tags")!.Value.EnumerateArray().Select(t => t.GetString()).Should().Equal("docs");
    }

    [Test]
    public async Task A_provider_id_recorded_with_another_hash_is_kept_and_reported_as_a_conflict()
    {
        var fromMetadata = await AdoptedAsync("provider_file_uploads", "file_metadata", "0c500000-0000-4000-8000-000000000001:glm:glm-file-77");
        var fromUploads = await AdoptedAsync("provider_file_uploads", "provider_file_uploads", "0c400000-0000-4000-8000-000000000002");
        var sameUpload = await AdoptedAsync("provider_file_uploads", "file_metadata", "0c500000-0000-4000-8000-000000000001:kimi:d3kimi-aaa");

        fromMetadata.Text("sha256").Should().NotBe(fromUploads.Text("sha256"));
        fromMetadata.Path("metadata", "adoption", "conflicts_with")!.Value[0].Text("source_id").Should().Be("0c400000-0000-4000-8000-000000000002");
        fromUploads.Path("metadata", "adoption", "conflicts_with")!.Value[0].Text("source_table").Should().Be("file_metadata");
        sameUpload.Path("metadata", "adoption", "same_upload_as")!.Value[0].Text("source_id").Should().Be("0c400000-0000-4000-8000-000000000001");
        sameUpload.Path("metadata", "adoption", "conflicts_with").Should().BeNull();
        Plan.Findings.Where(f => f.Kind == "conflicts_with").Select(f => f.SourceId)
            .Should().BeEquivalentTo("0c500000-0000-4000-8000-000000000001:glm:glm-file-77", "0c400000-0000-4000-8000-000000000002");
        Plan.Describe().Should().Contain("conflicts_with (2)");
    }

    [Test]
    public async Task Hashes_are_normalised_and_their_originals_kept()
    {
        var cache = await AdoptedAsync("files", "files", "0c300000-0000-4000-8000-000000000003");
        var original = LegacyRows["files"].Single(r => r.Text("id") == "0c300000-0000-4000-8000-000000000003").Text("sha256")!;

        cache.Text("sha256").Should().Be(original.ToLowerInvariant());
        cache.Path("metadata", "legacy", "sha256")!.Value.GetString().Should().Be(original);
        (cache.Text("file_type"), cache.Text("bucket")).Should().Be(("cache", "generated-files"));
    }

    [Test]
    public async Task Checklist_steps_get_positions_from_one_in_their_legacy_order()
    {
        var steps = await QueryAsync(
            "SELECT position, text, state FROM issue_checklist_items WHERE issue_id = '0c700000-0000-4000-8000-000000000002' ORDER BY position",
            r => (r.GetInt32(0), r.GetString(1), r.GetString(2)));

        steps.Should().Equal(
            (1, "Find where the 300 s default comes from", "completed"),
            (2, "Decide on the new default", "skipped"),
            (3, "Document it", "pending"));
    }

    [Test]
    public async Task Updates_keep_their_issue_and_map_their_type()
    {
        var verified = await AdoptedAsync("issue_updates", "exai_issue_updates", "0c710000-0000-4000-8000-000000000003");
        var status = await AdoptedAsync("issue_updates", "exai_issue_updates", "0c710000-0000-4000-8000-000000000004");

        (verified.Text("issue_id"), verified.Text("kind")).Should().Be(("0c700000-0000-4000-8000-000000000001", "verification"));
        verified.Path("metadata", "legacy", "update_type")!.Value.GetString().Should().Be("Verified ✅");
        (status.Text("issue_id"), status.Text("kind"), status.Text("author")).Should().Be((SharedIssueId, "status_change", "exai"));
    }

    [Test]
    public async Task Sessions_and_threads_keep_their_owners_when_they_are_uuids_and_their_text_otherwise()
    {
        var named = await AdoptedAsync("sessions", "sessions", "0c000000-0000-4000-8000-000000000002");
        var thread = await AdoptedAsync("conversations", "conversations", "0c100000-0000-4000-8000-000000000001");
        var reserved = await AdoptedAsync("conversations", "conversations", "0c100000-0000-4000-8000-000000000003");

        named.Text("user_id").Should().BeNull();
        named.Path("metadata", "legacy", "user_id")!.Value.GetString().Should().Be("claude-desktop");
        (thread.Text("user_id"), thread.Text("session_id"), thread.Text("tool_name"), thread.Text("provider"), thread.Text("model"))
            .Should().Be(("6f1c2a4e-93b1-4c9e-9a52-1d2f3e4a5b6c", "0c000000-0000-4000-8000-000000000001", "chat", "glm", "glm-4.6"));
        reserved.Path("metadata", "legacy", "metadata", "legacy")!.Value.GetString().Should().Be("metadata with a reserved key");
        reserved.Text("tool_name").Should().Be("debug");
    }

    [Test]
    public async Task Foreign_keys_of_kept_tables_point_into_the_backup()
    {
        var references = await QueryAsync(
            "SELECT confrelid::regclass::text FROM pg_constraint WHERE contype = 'f' AND conrelid = 'public.exai_session_notes'::regclass",
            r => r.GetString(0));

        references.Should().Equal("exai_legacy.conversations");
        Plan.ForeignKeysIntoBackup.Should().HaveCount(2);
    }

    [Test]
    public async Task A_deletion_job_finds_its_file_through_the_provider_id()
    {
        var job = await AdoptedAsync("file_deletion_jobs", "file_deletion_jobs", "0c600000-0000-4000-8000-000000000001");
        var running = await AdoptedAsync("file_deletion_jobs", "file_deletion_jobs", "0c600000-0000-4000-8000-000000000002");

        (job.Text("file_id"), job.Text("status")).Should().Be(("0c300000-0000-4000-8000-000000000002", "completed"));
        job.Path("targets", "provider_file_id")!.Value.GetString().Should().Be("d3kimi-gen-01");
        (running.Text("status"), running.Text("attempts")).Should().Be(("pending", "2"));
        running.Path("metadata", "legacy", "status")!.Value.GetString().Should().Be("processing");
    }
}

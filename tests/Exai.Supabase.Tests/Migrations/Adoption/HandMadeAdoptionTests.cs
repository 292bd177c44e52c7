namespace Exai.Supabase.Tests.Migrations.Adoption;

/// <summary>Every legacy table made by hand (see Fixtures/legacy_handmade.sql): no keys, text and bigint ids, json, enums.</summary>
public sealed class HandMadeAdoptionTests : AdoptionTestsBase
{
    public HandMadeAdoptionTests()
        : base("legacy_handmade.sql", ["message_counts"], ["notes_by_hand"])
    {
    }

    [Test]
    public async Task Identical_rows_of_a_table_without_a_key_stay_two_rows_told_apart_by_content()
    {
        var replies = await QueryAsync(
            "SELECT source_id, coalesce(metadata #>> '{adoption,duplicate_of}', '') FROM messages WHERE source_table = 'messages' AND content = 'hi there' ORDER BY source_id",
            r => (r.GetString(0), r.GetString(1)));

        replies.Should().HaveCount(2);
        replies[0].Item1.Should().StartWith("row:").And.EndWith(":1");
        replies[1].Should().Be((replies[0].Item1[..^1] + "2", replies[0].Item1));
    }

    [Test]
    public async Task A_tracker_keyed_by_codes_keeps_its_updates_and_steps()
    {
        var issue = await AdoptedAsync("issues", "exai_issues_tracker", "P0-1");
        var steps = await QueryAsync("SELECT position, text, state FROM issue_checklist_items WHERE issue_id = @i ORDER BY position",
            r => (r.GetInt32(0), r.GetString(1), r.GetString(2)), ("i", Guid.Parse(issue.Text("id")!)));
        var update = (await Db.AdoptedRowsAsync("issue_updates", "exai_issue_updates")).Single(u => u.Text("body") == "on the tracker row");

        (issue.Text("severity"), issue.Text("priority"), issue.Text("status")).Should().Be(("critical", "p0", "in_progress"));
        steps.Should().Equal((1, "first", "completed"), (2, "second", "pending"));
        update.Text("issue_id").Should().Be(issue.Text("id"));
    }

    [Test]
    public async Task A_bare_array_of_provider_ids_gives_one_upload_each()
    {
        var uploads = await Db.AdoptedRowsAsync("provider_file_uploads", "file_metadata");

        uploads.Select(u => (u.Text("provider"), u.Text("provider_file_id"))).Should().BeEquivalentTo(new[] { ("unknown", "x-1"), ("unknown", "x-2") });
        uploads.Should().OnlyContain(u => u.Text("sha256") == null && u.Path("metadata", "adoption", "invalid", "sha256")!.Value.GetString() == "abc");
    }

    [Test]
    public async Task A_view_in_another_schema_keeps_answering_from_the_backup()
    {
        var threads = await QueryAsync("SELECT continuation_id FROM reporting.threads ORDER BY 1", r => r.GetString(0));

        threads.Should().Equal("hand-thread-1", "hand-thread-2");
    }

    [Test]
    public async Task Numbers_that_do_not_fit_are_kept_aside_and_defaults_used()
    {
        var job = (await Db.AdoptedRowsAsync("file_deletion_jobs", "file_deletion_jobs")).Single();
        var file = await AdoptedAsync("files", "files", "file-a");

        (job.Text("attempts"), job.Text("status")).Should().Be(("0", "pending"));
        job.Path("metadata", "legacy", "attempts")!.Value.GetInt64().Should().Be(99999999999);
        job.Path("metadata", "adoption", "unmapped", "status")!.Value.GetString().Should().Be("weird");
        file.Text("size_bytes").Should().Be("12");
    }
}

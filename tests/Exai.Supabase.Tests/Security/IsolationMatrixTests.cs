using System.Text;
using System.Text.Json.Nodes;
using Exai.Supabase.Conversations;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Files;
using Exai.Supabase.Files.Internal;
using Exai.Supabase.Issues;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Prompts;
using Exai.Supabase.Realtime;
using Exai.Supabase.Security;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Files;
using Exai.Supabase.Tests.Infrastructure;
using Exai.Supabase.Tests.Realtime;

namespace Exai.Supabase.Tests.Security;

/// <summary>
/// The isolation matrix through the library's public APIs: alice and bob each own a session, a thread with turns and
/// a file link, a stored file with a provider upload, and a second file whose deletion is queued. Acting as bob, every
/// API is turned on alice's rows — reads find nothing, writes (outbox records included) are refused at the call or
/// dead-lettered, and alice's rows, storage objects and provider files are exactly as they were. Issues and prompts
/// are shared: users read them and do not manage them; the change feed in bob's scope carries only what bob may read.
/// (Row-level security itself, and <c>anon</c> reaching nothing, are proven at the SQL level in
/// <see cref="RowLevelSecurityTests"/>.)
/// </summary>
public sealed class IsolationMatrixTests
{
    private static readonly Guid Alice = Guid.Parse("01900000-0000-7000-8000-00000a11ce00");
    private static readonly Guid Bob = Guid.Parse("01900000-0000-7000-8000-000000b0b000");

    private readonly Dictionary<Guid, Seeded> _seeded = [];
    private readonly string _slotPrefix = $"t{Guid.NewGuid():N}"[..9] + "_";
    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;
    private SecurityHarness _harness = null!;
    private Guid _issue;

    private Seeded A => _seeded[Alice];

    private Seeded B => _seeded[Bob];

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        _apis = await LocalFileApis.StartAsync();
        _db = await MigratedDatabase.CreateAsync("exai_isolation");
        _harness = SecurityHarness.Create(_db.ConnectionString, _apis, configure: o => o.Realtime.SlotNamePrefix = _slotPrefix);
        foreach (var (user, tag) in new[] { (Alice, "alice"), (Bob, "bob") })
        {
            using (ExaiScope.Begin(ExaiScope.ForUser(user)))
            {
                var continuationId = $"iso-{tag}";
                var session = Guid.NewGuid();
                await _harness.Store.GetOrCreateAsync(continuationId, new ConversationThreadDetails
                {
                    Session = new ConversationSession { Id = session, ClientName = tag },
                    Title = $"{tag}'s thread",
                    Metadata = new JsonObject { ["secret"] = tag },
                });
                var file = await _harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{tag}/notes.txt", OriginalName = "notes.txt" }, FilesHarness.Content($"{tag}'s notes"));
                var gone = await _harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{tag}/old.txt" }, FilesHarness.Content($"{tag}'s old notes"));
                _harness.Store.Append(continuationId, ConversationTurn.User($"{tag} asks") with { FileIds = [file.Id] });
                _harness.Store.Append(continuationId, ConversationTurn.Assistant($"{tag} is answered"));
                var upload = _harness.Files.RecordUpload(file.Id, "kimi", $"kimi-{tag}", "file-extract");
                await _harness.FlushAsync();
                var job = await _harness.Files.DeleteAsync(gone.Id, "seed");
                await _harness.FlushAsync();
                _seeded[user] = new Seeded(continuationId, session, file, upload, gone, job!.Value);
            }
        }

        _issue = _harness.Issues.CreateIssue(new IssueDraft { Title = "A shared issue", Checklist = ["look"] });
        await _harness.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = "iso", Provider = "kimi", Content = "You help.", Version = "v1" });
        await _harness.Prompts.ActivateAsync("iso", "kimi", "v1");
        await _harness.FlushAsync();
        _harness.Outbox.GetStatistics().DeadLettered.Should().Be(0, "the seed is clean");
    }

    [OneTimeTearDown]
    public async Task DropAsync()
    {
        await _harness.DisposeAsync();
        await _apis.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task Bob_reads_nothing_of_alices_thread_through_any_conversation_read()
    {
        var before = await RowsOfAsync(Alice);
        using (AsBob())
        {
            (await _harness.Store.GetHistoryAsync(A.ContinuationId)).Should().BeEmpty();
            (await _harness.Store.GetLastAsync(A.ContinuationId, 10)).Should().BeEmpty();
            (await _harness.Store.GetPageAsync(A.ContinuationId, 10)).Messages.Should().BeEmpty();
            (await _harness.Store.GetWithinTokenBudgetAsync(A.ContinuationId, 10_000)).Should().BeEmpty();
            (await _harness.Store.GetFilesAsync(A.ContinuationId)).Should().BeEmpty();
            (await _harness.Store.GetUserThreadsAsync(Alice)).Should().BeEmpty();
            (await _harness.Store.GetSessionThreadsAsync(A.Session)).Should().BeEmpty();

            (await _harness.Store.GetHistoryAsync(B.ContinuationId)).Select(m => m.Content).Should().Contain(["bob asks", "bob is answered"]);
            (await _harness.Store.GetUserThreadsAsync(Bob)).Select(t => t.ContinuationId).Should().Contain(B.ContinuationId);
        }

        (await RowsOfAsync(Alice)).Should().Be(before);
    }

    [Test]
    public async Task Bob_cannot_change_extend_or_delete_alices_thread_his_records_are_dead_lettered()
    {
        var before = await RowsOfAsync(Alice);
        var deadLetters = await DeadLettersOfBobAsync();
        using (AsBob())
        {
            var thread = await _harness.Store.GetOrCreateAsync(A.ContinuationId, new ConversationThreadDetails { Title = "bob's title", Metadata = new JsonObject { ["secret"] = "bob" } });
            thread.IsNew.Should().BeTrue("bob cannot see alice's thread, so he is offered a new one");
            thread.Title.Should().Be("bob's title");
            thread.MetadataJson.Should().NotContain("alice");
            _harness.Store.Append(A.ContinuationId, ConversationTurn.User("bob writes into alice's thread"));
            _harness.Store.AppendRange(A.ContinuationId, [ConversationTurn.User("one"), ConversationTurn.Assistant("two")]);
            _harness.Store.Delete(A.ContinuationId);
        }

        await _harness.FlushAsync();

        (await DeadLettersOfBobAsync() - deadLetters).Should().Be(5, "the thread, three turns and the delete");
        (await RowsOfAsync(Alice)).Should().Be(before);
        using (AsAlice())
        {
            (await _harness.Store.GetHistoryAsync(A.ContinuationId)).Select(m => m.Content).Should().Equal("alice asks", "alice is answered");
        }
    }

    [Test]
    public async Task Bob_cannot_attach_his_rows_to_alices_parents_or_alices_rows_to_his()
    {
        var before = await RowsOfAsync(Alice);
        var refused = _harness.Outbox.GetStatistics().DeadLettered;
        var bobsTurns = await TurnsAsync(B.ContinuationId);
        using (AsBob())
        {
            // His file into her thread; her file into his thread; his new thread in her session; her session reused.
            _harness.Store.Append(A.ContinuationId, ConversationTurn.User("look at my file") with { FileIds = [B.File.Id] });
            _harness.Store.Append(B.ContinuationId, ConversationTurn.User("look at her file") with { FileIds = [A.File.Id] });
            await _harness.Store.GetOrCreateAsync("iso-bob-in-alices-session", new ConversationThreadDetails { Session = new ConversationSession { Id = A.Session, ClientName = "bob" } });
        }

        await _harness.FlushAsync();

        (_harness.Outbox.GetStatistics().DeadLettered - refused).Should().Be(5, "his turn in her thread, both links, the session and the thread naming it");
        (await RowsOfAsync(Alice)).Should().Be(before);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversation_files WHERE file_id = @f", ("f", A.File.Id))).Should().Be(1, "alice's own link only");
        (await _db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE continuation_id = 'iso-bob-in-alices-session'")).Should().Be(0);
        (await TurnsAsync(B.ContinuationId)).Should().Be(bobsTurns + 1, "bob's turn in his own thread landed; only its link to alice's file was refused");
    }

    [Test]
    public async Task The_pending_view_never_shows_one_users_unsaved_turns_and_files_to_another()
    {
        StoredFile file;
        using (AsAlice())
        {
            _harness.Store.Append("iso-alice-pending", ConversationTurn.User("not saved yet"));
            file = _harness.Files.Register(new FileRegistration { StoragePath = "alice/pending.txt", SizeBytes = 1 });
        }

        using (AsBob())
        {
            (await _harness.Store.GetHistoryAsync("iso-alice-pending")).Should().BeEmpty();
            (await _harness.Store.GetUserThreadsAsync(Alice)).Should().BeEmpty();
            (await _harness.Files.GetFileAsync(file.Id)).Should().BeNull();
            (await _harness.Files.GetUploadsAsync(file.Id)).Should().BeEmpty();
        }

        using (AsAlice())
        {
            (await _harness.Store.GetHistoryAsync("iso-alice-pending")).Select(m => m.Content).Should().Equal("not saved yet");
            (await _harness.Files.GetFileAsync(file.Id)).Should().NotBeNull();
        }

        await _harness.FlushAsync();
    }

    [Test]
    public async Task Bob_reads_nothing_of_alices_files_uploads_or_deletion_jobs_and_cannot_upload_her_file()
    {
        var before = await RowsOfAsync(Alice);
        var uploads = _apis.Kimi.Count("POST");
        using (AsBob())
        {
            (await _harness.Files.GetFileAsync(A.File.Id)).Should().BeNull();
            (await _harness.Files.GetUploadsAsync(A.File.Id)).Should().BeEmpty();
            (await _harness.Files.CountUploadReferencesAsync("kimi", A.Upload.ProviderFileId)).Should().Be(0);
            (await _harness.Files.GetDeletionJobAsync(A.Job)).Should().BeNull();
            var upload = () => _harness.Files.UploadAsync(A.File.Id, "kimi", "file-extract");
            (await upload.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("fileId");
            var orphans = () => _harness.Files.FindOrphansAsync("kimi");
            await orphans.Should().ThrowAsync<InvalidOperationException>();

            (await _harness.Files.GetFileAsync(B.File.Id)).Should().NotBeNull();
            (await _harness.Files.GetDeletionJobAsync(B.Job)).Should().NotBeNull();
        }

        _apis.Kimi.Count("POST").Should().Be(uploads, "nothing of alice's went to the provider");
        (await RowsOfAsync(Alice)).Should().Be(before);
    }

    [Test]
    public async Task Bob_cannot_change_delete_claim_or_overwrite_alices_files()
    {
        var before = await RowsOfAsync(Alice);
        var deadLetters = await DeadLettersOfBobAsync();
        var recorded = _harness.Outbox.GetStatistics().Recorded;
        var content = _apis.Storage.Objects[$"user-files/{A.File.StoragePath}"].Content;
        using (AsBob())
        {
            (await _harness.Files.DeleteAsync(A.File.Id)).Should().BeNull("bob cannot see the file, so nothing is queued");
            _harness.Outbox.GetStatistics().Recorded.Should().Be(recorded);
            var claim = () => _harness.Files.Register(new FileRegistration { StoragePath = "mine.txt", OwnerId = Alice });
            claim.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("file.OwnerId");
            var overwrite = () => _harness.Files.StoreAsync(new FileRegistration { StoragePath = A.File.StoragePath }, FilesHarness.Content("bob's content"), overwrite: true);
            await overwrite.Should().ThrowAsync<UnauthorizedAccessException>();

            // What the call site cannot know lands and is refused: her path re-registered, an upload of her file.
            _harness.Files.Register(new FileRegistration { StoragePath = A.File.StoragePath, OriginalName = "bob.txt", Metadata = new JsonObject { ["by"] = "bob" } });
            _harness.Files.RecordUpload(A.File.Id, "kimi", "kimi-bob", "file-extract");
        }

        await _harness.FlushAsync();

        (await DeadLettersOfBobAsync() - deadLetters).Should().Be(2);
        (await RowsOfAsync(Alice)).Should().Be(before);
        _apis.Storage.Objects[$"user-files/{A.File.StoragePath}"].Content.Should().Equal(content);
    }

    [Test]
    public async Task Bob_cannot_replace_an_object_that_is_not_his_file_even_without_a_record()
    {
        await _harness.Storage.PutAsync("user-files", "unrecorded/report.txt", FilesHarness.Content("the service's object"));
        using (AsBob())
        {
            var overwrite = () => _harness.Files.StoreAsync(new FileRegistration { StoragePath = "unrecorded/report.txt" }, FilesHarness.Content("bob's"), overwrite: true);
            (await overwrite.Should().ThrowAsync<FileStorageException>()).Which.StatusCode.Should().Be(System.Net.HttpStatusCode.Conflict);
        }

        Encoding.UTF8.GetString(_apis.Storage.Objects["user-files/unrecorded/report.txt"].Content).Should().Be("the service's object");
        using (AsBob())
        {
            var own = await _harness.Files.StoreAsync(new FileRegistration { StoragePath = "bob/replaced.txt" }, FilesHarness.Content("first"));
            await _harness.FlushAsync();
            await _harness.Files.StoreAsync(new FileRegistration { StoragePath = own.StoragePath }, FilesHarness.Content("second"), overwrite: true);
        }

        Encoding.UTF8.GetString(_apis.Storage.Objects["user-files/bob/replaced.txt"].Content).Should().Be("second", "a user replaces his own file");
        await _harness.FlushAsync();
    }

    [Test]
    public async Task The_raw_store_and_slot_housekeeping_are_closed_to_user_scopes()
    {
        using (AsBob())
        {
            var read = () => _harness.Storage.OpenReadAsync("user-files", A.File.StoragePath);
            var put = () => _harness.Storage.PutAsync("user-files", A.File.StoragePath, FilesHarness.Content("x"), overwrite: true);
            var delete = () => _harness.Storage.DeleteAsync("user-files", A.File.StoragePath);
            var list = () => _harness.Storage.ListAsync("user-files", "alice");
            var drop = () => _harness.Feed.DropSlotAsync("exai_some_slot");

            await read.Should().ThrowAsync<InvalidOperationException>();
            await put.Should().ThrowAsync<InvalidOperationException>();
            await delete.Should().ThrowAsync<InvalidOperationException>();
            await list.Should().ThrowAsync<InvalidOperationException>();
            await drop.Should().ThrowAsync<InvalidOperationException>();
        }

        Encoding.UTF8.GetString(_apis.Storage.Objects[$"user-files/{A.File.StoragePath}"].Content).Should().Be("alice's notes");
    }

    [Test]
    public async Task Records_made_in_bobs_scope_that_touch_alices_rows_are_dead_lettered_not_landed()
    {
        var before = await RowsOfAsync(Alice);
        var refused = _harness.Outbox.GetStatistics().DeadLettered;
        var bob = ExaiScope.ForUser(Bob);
        var now = DateTimeOffset.UtcNow;
        OutboxRecord[] records =
        [
            OutboxHarness.Session(A.Session, "bob", bob),
            OutboxHarness.Conversation(A.ContinuationId, title: "bob's", scope: bob),
            OutboxHarness.Message(A.ContinuationId, "bob's turn", scope: bob),
            new ConversationFileRecord
            {
                Id = UuidV7.NewId(TimeProvider.System), RecordedAt = now, ScopeUserId = Bob, ScopeClaims = bob.ClaimsJson,
                ContinuationId = B.ContinuationId, FileId = A.File.Id,
            },
            new ConversationDeleteRecord
            {
                Id = UuidV7.NewId(TimeProvider.System), RecordedAt = now, ScopeUserId = Bob, ScopeClaims = bob.ClaimsJson, ContinuationId = A.ContinuationId,
            },
            new FileRecord
            {
                Id = UuidV7.NewId(TimeProvider.System), RecordedAt = now.AddYears(1), ScopeUserId = Bob, ScopeClaims = bob.ClaimsJson,
                FileId = A.File.Id, OwnerId = Bob, Bucket = "user-files", StoragePath = A.File.StoragePath, FileType = "user_upload",
            },
            new FileRecord
            {
                // Older than her row: an upsert that would skip it is refused all the same.
                Id = UuidV7.NewId(TimeProvider.System), RecordedAt = now.AddYears(-1), ScopeUserId = Bob, ScopeClaims = bob.ClaimsJson,
                FileId = A.File.Id, OwnerId = Bob, Bucket = "user-files", StoragePath = A.File.StoragePath, FileType = "user_upload",
            },
            new FileDeletionRecord
            {
                Id = UuidV7.NewId(TimeProvider.System), RecordedAt = now, ScopeUserId = Bob, ScopeClaims = bob.ClaimsJson,
                FileId = A.File.Id, Bucket = "user-files", StoragePath = A.File.StoragePath, Reason = "bob wants it gone",
            },
            new ProviderUploadRecord
            {
                Id = UuidV7.NewId(TimeProvider.System), RecordedAt = now, ScopeUserId = Bob, ScopeClaims = bob.ClaimsJson,
                UploadId = A.Upload.Id, FileId = A.File.Id, Provider = "kimi", ProviderFileId = A.Upload.ProviderFileId, Status = UploadStatuses.Deleted,
            },
        ];
        using (AsBob())
        {
            foreach (var record in records)
            {
                _harness.Processor.Record(record);
            }

            // His own records in the same batches land.
            _harness.Store.Append(B.ContinuationId, ConversationTurn.User("bob's own turn"));
        }

        await _harness.FlushAsync();

        // A session record's id is the session's, which an earlier test's refused record already dead-lettered: so
        // check by id, and count the refusals the outbox reports.
        (await _db.ColumnAsync<Guid>("SELECT id FROM outbox_dead_letters WHERE user_id = @u", ("u", Bob))).Should().Contain(records.Select(r => r.Id));
        (_harness.Outbox.GetStatistics().DeadLettered - refused).Should().Be(records.Length);
        (await _db.ColumnAsync<string>("SELECT DISTINCT sql_state FROM outbox_dead_letters WHERE user_id = @u", ("u", Bob))).Should().Equal("42501");
        (await RowsOfAsync(Alice)).Should().Be(before);
        using (AsBob())
        {
            (await _harness.Store.GetHistoryAsync(B.ContinuationId)).Select(m => m.Content).Should().Contain("bob's own turn");
        }
    }

    [Test]
    public async Task Issues_are_shared_every_user_reads_them_and_the_tracker_writes_them_as_the_service_attributed_to_the_user()
    {
        Guid reported;
        using (AsBob())
        {
            (await _harness.Issues.GetAsync(_issue))!.Title.Should().Be("A shared issue");
            (await _harness.Issues.ListAsync()).Items.Select(i => i.Id).Should().Contain(_issue);
            (await _harness.Issues.GetChecklistAsync(_issue)).Should().ContainSingle();
            reported = _harness.Issues.CreateIssue(new IssueDraft { Title = "Reported by bob" });
            await _harness.FlushAsync();
        }

        using (AsAlice())
        {
            (await _harness.Issues.GetAsync(reported))!.ReportedBy.Should().Be(Bob.ToString());
        }

        var insert = () => Actor.Authenticated(Bob).ExecuteAsync(_db.DataSource, "INSERT INTO issues (title) VALUES ('straight to the table')");
        (await insert.Should().ThrowAsync<Npgsql.PostgresException>()).Which.SqlState.Should().Be("42501", "users write issues only through the service side");
        var anon = () => Actor.Anon.QueryAsync<Guid>(_db.DataSource, "SELECT id FROM issues");
        (await anon.Should().ThrowAsync<Npgsql.PostgresException>()).Which.SqlState.Should().Be("42501");
    }

    [Test]
    public async Task Prompts_are_readable_in_a_user_scope_and_their_management_is_refused_before_any_io()
    {
        var before = await _db.ScalarAsync<string>("SELECT (SELECT count(*) FROM system_prompts) || '/' || (SELECT count(*) FROM prompt_versions) || '/' || (SELECT string_agg(version, ',') FROM system_prompts WHERE is_active)");
        using (AsBob())
        {
            (await _harness.Resolver.ResolveAsync("iso", "kimi")).Content.Should().Be("You help.");
            (await _harness.Prompts.GetVersionsAsync("iso", "kimi")).Should().ContainSingle();
            Func<Task>[] management =
            [
                () => _harness.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = "iso", Provider = "kimi", Content = "bob's prompt" }),
                () => _harness.Prompts.ActivateAsync("iso", "kimi", "v1"),
                () => _harness.Prompts.RollbackAsync("iso", "kimi"),
                () => _harness.Prompts.DeactivateAsync("iso", "kimi"),
                () => _harness.Prompts.ImportAsync([new NewPromptVersion { Tool = "iso", Provider = "glm", Content = "bob's import" }]),
            ];
            foreach (var call in management)
            {
                (await call.Should().ThrowAsync<UnauthorizedAccessException>()).Which.Message.Should().Contain("user scope");
            }
        }

        (await _db.ScalarAsync<string>("SELECT (SELECT count(*) FROM system_prompts) || '/' || (SELECT count(*) FROM prompt_versions) || '/' || (SELECT string_agg(version, ',') FROM system_prompts WHERE is_active)"))
            .Should().Be(before);
    }

    [Test]
    public async Task A_change_feed_subscribed_in_bobs_scope_carries_only_his_rows_and_shared_ones()
    {
        var tables = new ChangeFeedSubscription("conversations", "messages", "files", "provider_file_uploads", "issues");
        RealtimeHarness.Collector bobs;
        using (AsBob())
        {
            bobs = new RealtimeHarness.Collector(_harness.Feed.SubscribeAsync(tables));
        }

        await using var _ = bobs;
        await using var service = new RealtimeHarness.Collector(_harness.Feed.SubscribeAsync(new ChangeFeedSubscription("conversations", "messages", "files", "provider_file_uploads", "issues")));
        await Eventually.TrueAsync(
            async () => await _db.ScalarAsync<long>("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE @p || '%' AND active AND confirmed_flush_lsn IS NOT NULL", ("p", _slotPrefix)) >= 2,
            TimeSpan.FromSeconds(30),
            "both subscriptions' slots");

        await _db.ExecuteAsync($"""
            INSERT INTO conversations (id, continuation_id, user_id) VALUES ('{Guid.NewGuid()}', 'rt-alice', '{Alice}');
            INSERT INTO conversations (id, continuation_id, user_id) VALUES ('{Guid.NewGuid()}', 'rt-bob', '{Bob}');
            INSERT INTO messages (conversation_id, user_id, role, content) SELECT id, user_id, 'user', 'rt' FROM conversations WHERE continuation_id IN ('rt-alice', 'rt-bob');
            UPDATE conversations SET title = 'changed' WHERE continuation_id IN ('rt-alice', 'rt-bob');
            INSERT INTO issues (title) VALUES ('rt issue');
            INSERT INTO provider_file_uploads (file_id, provider, provider_file_id) VALUES ('{B.File.Id}', 'kimi', 'rt-upload');
            UPDATE files SET original_name = 'renamed.txt' WHERE id IN ('{A.File.Id}', '{B.File.Id}');
            DELETE FROM messages WHERE content = 'rt';
            UPDATE conversations SET user_id = '{Bob}' WHERE continuation_id = 'rt-alice';
            DELETE FROM conversations WHERE continuation_id = 'rt-alice';
            INSERT INTO conversations (id, continuation_id, user_id) VALUES ('{Guid.NewGuid()}', 'rt-end', '{Bob}');
            """);

        var seen = await TakeUntilAsync(bobs, "rt-end");
        var all = await TakeUntilAsync(service, "rt-end");

        seen.Select(Describe).Should().Equal(
            "Insert conversations bob",
            "Insert messages bob",
            "Update conversations bob",
            "Insert issues -",
            "Update files bob",
            "Delete conversations bob",
            "Insert conversations bob");
        all.Select(Describe).Should().Contain("Insert conversations alice").And.Contain("Insert provider_file_uploads -").And.HaveCountGreaterThan(seen.Count);
    }

    private static string Describe(ChangeEvent change)
    {
        var row = change.Kind == ChangeKind.Delete ? change.OldValues : change.NewValues;
        var owner = row is not null && row.TryGetValue("user_id", out var value) && value is Guid id ? (id == Alice ? "alice" : id == Bob ? "bob" : "other") : "-";
        return $"{change.Kind} {change.Table} {owner}";
    }

    private static async Task<List<ChangeEvent>> TakeUntilAsync(RealtimeHarness.Collector collector, string continuationId)
    {
        var events = new List<ChangeEvent>();
        while (true)
        {
            var change = await collector.NextAsync(TimeSpan.FromSeconds(60));
            if (change.Kind == ChangeKind.Gap)
            {
                continue;
            }

            events.Add(change);
            if (change.Table == "conversations" && change.NewValues.TryGetValue("continuation_id", out var id) && (string?)id == continuationId)
            {
                return events;
            }
        }
    }

    private Task<long> TurnsAsync(string continuationId) =>
        _db.ScalarAsync<long>("SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.continuation_id = @c", ("c", continuationId));

    private static IDisposable AsAlice() => ExaiScope.Begin(ExaiScope.ForUser(Alice));

    private static IDisposable AsBob() => ExaiScope.Begin(ExaiScope.ForUser(Bob));

    private Task<long> DeadLettersOfBobAsync() =>
        _db.ScalarAsync<long>("SELECT count(*) FROM outbox_dead_letters WHERE user_id = @u", ("u", Bob));

    private Task<string> RowsOfAsync(Guid user) => SecurityHarness.RowsOfAsync(_db, user);

    private sealed record Seeded(string ContinuationId, Guid Session, StoredFile File, ProviderUpload Upload, StoredFile Deleted, Guid Job);
}

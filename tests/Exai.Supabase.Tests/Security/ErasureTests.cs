using System.Text.Json.Nodes;
using Exai.Supabase.Conversations;
using Exai.Supabase.Files;
using Exai.Supabase.Security;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Files;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Security;

/// <summary>
/// <see cref="IExaiErasure"/>: erasing alice removes her threads, turns, links and sessions at once, and queues her
/// files so the deletion worker removes their storage objects and provider copies; bob is untouched throughout, and
/// running the erasure again finds nothing more to do.
/// </summary>
public sealed class ErasureTests
{
    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;
    private SecurityHarness _harness = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _apis = await LocalFileApis.StartAsync();
        _db = await MigratedDatabase.CreateAsync("exai_erasure");
        _harness = SecurityHarness.Create(_db.ConnectionString, _apis);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _harness.DisposeAsync();
        await _apis.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task Erasing_a_user_removes_their_rows_storage_objects_and_provider_files_and_leaves_other_users_alone()
    {
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        var a = await SeedAsync(alice, "alice");
        var b = await SeedAsync(bob, "bob");
        var bobsRows = await SecurityHarness.RowsOfAsync(_db, bob);
        bobsRows.Should().Contain("conversations").And.Contain("messages").And.Contain("files").And.Contain("provider_file_uploads");

        // A turn still in the outbox when the erasure starts is erased too (the erasure flushes first).
        using (ExaiScope.Begin(ExaiScope.ForUser(alice)))
        {
            _harness.Store.Append(a.ContinuationId, ConversationTurn.User("one more, not yet saved"));
        }

        var report = await _harness.Erasure.EraseUserAsync(alice);

        report.UserId.Should().Be(alice);
        report.RowsDeleted["conversations"].Should().Be(1);
        report.RowsDeleted["messages"].Should().Be(3);
        report.RowsDeleted["sessions"].Should().Be(1);
        report.RowsDeleted["conversation_files"].Should().Be(1);
        report.FilesQueued.Should().Be(1);
        report.ProviderUploadsQueued.Should().Be(1);
        report.FilesPending.Should().Be(1);
        report.NothingFound.Should().BeFalse();
        report.ToString().Should().Contain(alice.ToString()).And.NotContain("alice's notes");

        (await CountAsync("conversations", alice)).Should().Be(0);
        (await CountAsync("messages", alice)).Should().Be(0);
        (await CountAsync("sessions", alice)).Should().Be(0);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM file_deletion_jobs WHERE user_id = @u AND status = 'pending'", ("u", alice))).Should().Be(1);
        using (ExaiScope.Begin(ExaiScope.ForUser(alice)))
        {
            (await _harness.Store.GetHistoryAsync(a.ContinuationId)).Should().BeEmpty("nothing of the thread is served from a cache either");
            (await _harness.Files.GetFileAsync(a.File.Id)).Should().BeNull();
        }

        // Storage and the provider still hold her content until the deletion worker has run.
        _apis.Storage.Has(a.File.Bucket, a.File.StoragePath).Should().BeTrue();
        _apis.Kimi.Files.Should().ContainKey(a.Upload.ProviderFileId);

        while (await _harness.Runner.RunOnceAsync(default) > 0)
        {
        }

        _apis.Storage.Has(a.File.Bucket, a.File.StoragePath).Should().BeFalse();
        _apis.Kimi.Files.Should().NotContainKey(a.Upload.ProviderFileId);
        (await CountAsync("files", alice)).Should().Be(0);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM provider_file_uploads WHERE provider_file_id = @p", ("p", a.Upload.ProviderFileId))).Should().Be(0);

        _apis.Storage.Has(b.File.Bucket, b.File.StoragePath).Should().BeTrue();
        _apis.Kimi.Files.Should().ContainKey(b.Upload.ProviderFileId);
        (await SecurityHarness.RowsOfAsync(_db, bob)).Should().Be(bobsRows);

        // Again: only the finished job is left to remove; then nothing at all.
        var second = await _harness.Erasure.EraseUserAsync(alice);
        second.FilesQueued.Should().Be(0);
        second.FilesPending.Should().Be(0);
        second.RowsDeleted.Where(r => r.Key != "file_deletion_jobs").Sum(r => r.Value).Should().Be(0);
        second.RowsDeleted["file_deletion_jobs"].Should().Be(1);
        var third = await _harness.Erasure.EraseUserAsync(alice);
        third.NothingFound.Should().BeTrue();
        (await SecurityHarness.RowsOfAsync(_db, alice)).Should().BeEmpty();
        (await SecurityHarness.RowsOfAsync(_db, bob)).Should().Be(bobsRows);
        _harness.Outbox.GetStatistics().DeadLettered.Should().Be(0);
    }

    [Test]
    public async Task A_provider_file_another_users_file_still_uses_is_kept()
    {
        var carol = Guid.NewGuid();
        var dave = Guid.NewGuid();
        var c = await SeedAsync(carol, "carol", content: "the same bytes");
        var d = await SeedAsync(dave, "dave", content: "the same bytes");
        d.Upload.ProviderFileId.Should().NotBe(c.Upload.ProviderFileId, "each user uploads their own copy");

        await _harness.Erasure.EraseUserAsync(carol);
        while (await _harness.Runner.RunOnceAsync(default) > 0)
        {
        }

        _apis.Kimi.Files.Should().NotContainKey(c.Upload.ProviderFileId);
        _apis.Kimi.Files.Should().ContainKey(d.Upload.ProviderFileId);
        _apis.Storage.Has(d.File.Bucket, d.File.StoragePath).Should().BeTrue();
    }

    [Test]
    public async Task Erasure_is_refused_in_a_user_scope_and_for_the_empty_id_before_anything_changes()
    {
        var erin = Guid.NewGuid();
        await SeedAsync(erin, "erin");
        var before = await SecurityHarness.RowsOfAsync(_db, erin);

        using (ExaiScope.Begin(ExaiScope.ForUser(erin)))
        {
            var own = () => _harness.Erasure.EraseUserAsync(erin);
            await own.Should().ThrowAsync<InvalidOperationException>();
        }

        var empty = () => _harness.Erasure.EraseUserAsync(Guid.Empty);
        (await empty.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("userId");
        (await SecurityHarness.RowsOfAsync(_db, erin)).Should().Be(before);
    }

    private Task<long> CountAsync(string table, Guid user) =>
        _db.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE user_id = @u", ("u", user));

    private async Task<Seeded> SeedAsync(Guid user, string tag, string? content = null)
    {
        using (ExaiScope.Begin(ExaiScope.ForUser(user)))
        {
            var continuationId = $"erase-{tag}-{Guid.NewGuid():N}";
            await _harness.Store.GetOrCreateAsync(continuationId, new ConversationThreadDetails
            {
                Session = new ConversationSession { Id = Guid.NewGuid(), ClientName = tag },
                Metadata = new JsonObject { ["who"] = tag },
            });
            var file = await _harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{tag}/{Guid.NewGuid():N}.txt" }, FilesHarness.Content(content ?? $"{tag}'s notes"));
            _harness.Store.Append(continuationId, ConversationTurn.User($"{tag} asks") with { FileIds = [file.Id] });
            _harness.Store.Append(continuationId, ConversationTurn.Assistant($"{tag} is answered"));
            await _harness.FlushAsync();
            var upload = await _harness.Files.UploadAsync(file.Id, "kimi", "file-extract");
            await _harness.FlushAsync();
            return new Seeded(continuationId, file, upload);
        }
    }

    private sealed record Seeded(string ContinuationId, StoredFile File, ProviderUpload Upload);
}

using Exai.Supabase.Testing;
using System.Security.Cryptography;
using System.Text;
using Exai.Supabase.Files;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Files;

/// <summary>Recording files and their provider uploads; reusing an upload of the same content.</summary>
public sealed class FileSyncTests
{
    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_files_sync");
        _apis = await LocalFileApis.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _apis.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task A_stored_file_is_recorded_with_its_size_and_hash_and_readable_before_it_lands()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var path = $"{Unique()}/report.txt";
        var owner = Guid.NewGuid();

        var file = await harness.Files.StoreAsync(
            new FileRegistration { StoragePath = path, OriginalName = "report.txt", MimeType = "text/plain", OwnerId = owner, FileType = StoredFileType.Generated, Bucket = "generated-files" },
            FilesHarness.Content("quarterly numbers"));

        file.SizeBytes.Should().Be(17);
        file.Sha256.Should().Be(Sha("quarterly numbers"));
        (await harness.Files.GetFileAsync(file.Id)).Should().Be(file);
        _apis.Storage.Has("generated-files", path).Should().BeTrue();
        await harness.FlushAsync();
        (await _db.ScalarAsync<string>("SELECT concat_ws('|', bucket, storage_path, original_name, mime_type, size_bytes, sha256, file_type, user_id) FROM files WHERE id = @id", ("id", file.Id)))
            .Should().Be($"generated-files|{path}|report.txt|text/plain|17|{file.Sha256}|generated|{owner}");
        await using var fresh = FilesHarness.Create(_db.ConnectionString, _apis);
        (await fresh.Files.GetFileAsync(file.Id)).Should().Be(file);
    }

    [Test]
    public async Task The_same_content_is_uploaded_to_a_provider_once_and_reused_by_every_file_that_has_it()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var text = $"shared content {Unique()}";
        var first = await harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{Unique()}/one.txt" }, FilesHarness.Content(text));
        var second = await harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{Unique()}/two.txt" }, FilesHarness.Content(text));
        var posts = _apis.Kimi.Count("POST");

        var a = await harness.Files.UploadAsync(first.Id, "kimi", "file-extract");
        var b = await harness.Files.UploadAsync(second.Id, "kimi", "file-extract");
        var again = await harness.Files.UploadAsync(first.Id, "kimi", "file-extract");

        (_apis.Kimi.Count("POST") - posts).Should().Be(1);
        a.Reused.Should().BeFalse();
        b.Reused.Should().BeTrue();
        again.Reused.Should().BeTrue();
        b.ProviderFileId.Should().Be(a.ProviderFileId);
        again.Id.Should().Be(a.Id, "a file has one record per provider file");
        (await harness.Files.CountUploadReferencesAsync("kimi", a.ProviderFileId)).Should().Be(2, "counted before the records land");
        await harness.FlushAsync();
        (await harness.Files.CountUploadReferencesAsync("kimi", a.ProviderFileId)).Should().Be(2, "and after");
        (await _db.ScalarAsync<long>("SELECT count(*) FROM provider_file_uploads WHERE provider_file_id = @p AND status = 'completed'", ("p", a.ProviderFileId))).Should().Be(2);
        var uploads = await harness.Files.GetUploadsAsync(first.Id);
        uploads.Should().ContainSingle().Which.LastUsedAt.Should().BeOnOrAfter(a.LastUsedAt!.Value);
    }

    [Test]
    public async Task Another_process_reuses_an_upload_it_finds_in_the_database()
    {
        var text = $"seen elsewhere {Unique()}";
        ProviderUpload original;
        StoredFile copy;
        await using (var first = FilesHarness.Create(_db.ConnectionString, _apis))
        {
            var file = await first.Files.StoreAsync(new FileRegistration { StoragePath = $"{Unique()}/a.txt" }, FilesHarness.Content(text));
            copy = await first.Files.StoreAsync(new FileRegistration { StoragePath = $"{Unique()}/b.txt" }, FilesHarness.Content(text));
            original = await first.Files.UploadAsync(file.Id, "glm", "file-extract");
            await first.FlushAsync();
        }

        await using var second = FilesHarness.Create(_db.ConnectionString, _apis);
        var posts = _apis.Glm.Count("POST");

        var reused = await second.Files.UploadAsync(copy.Id, "glm", "file-extract");
        var otherPurpose = await second.Files.UploadAsync(copy.Id, "glm", "batch");

        reused.Reused.Should().BeTrue();
        reused.ProviderFileId.Should().Be(original.ProviderFileId);
        otherPurpose.Reused.Should().BeFalse("an upload for one purpose is not one for another");
        (_apis.Glm.Count("POST") - posts).Should().Be(1);
        otherPurpose.ProviderFileId.Should().MatchRegex("^[0-9]{10}_[0-9a-f]{32}$");
    }

    [Test]
    public async Task Concurrent_uploads_of_the_same_content_send_it_once()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        _apis.Kimi.Latency = TimeSpan.FromMilliseconds(200);
        try
        {
            var text = $"at the same time {Unique()}";
            var files = new List<StoredFile>();
            for (var i = 0; i < 4; i++)
            {
                files.Add(await harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{Unique()}/{i}.txt" }, FilesHarness.Content(text)));
            }

            var posts = _apis.Kimi.Count("POST");
            var uploads = await Task.WhenAll(files.Select(f => harness.Files.UploadAsync(f.Id, "kimi", "file-extract")));

            (_apis.Kimi.Count("POST") - posts).Should().Be(1);
            uploads.Select(u => u.ProviderFileId).Distinct().Should().ContainSingle();
            uploads.Select(u => u.FileId).Should().BeEquivalentTo(files.Select(f => (Guid?)f.Id));
        }
        finally
        {
            _apis.Kimi.Latency = TimeSpan.Zero;
        }
    }

    [Test]
    public async Task A_registered_file_whose_hash_is_unknown_is_hashed_when_uploaded_and_then_deduplicated()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var text = $"hash me later {Unique()}";
        var first = await harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{Unique()}/known.txt" }, FilesHarness.Content(text));
        var path = $"{Unique()}/unknown.txt";
        await harness.Storage.PutAsync("user-files", path, FilesHarness.Content(text));
        var registered = harness.Files.Register(new FileRegistration { StoragePath = path });
        await harness.Files.UploadAsync(first.Id, "kimi", "file-extract");
        var posts = _apis.Kimi.Count("POST");

        var upload = await harness.Files.UploadAsync(registered.Id, "kimi", "file-extract");

        upload.Reused.Should().BeTrue();
        upload.Sha256.Should().Be(Sha(text));
        _apis.Kimi.Count("POST").Should().Be(posts);
    }

    [Test]
    public async Task An_upload_recorded_from_elsewhere_lands_after_its_file()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var file = harness.Files.Register(new FileRegistration { StoragePath = $"{Unique()}/external.pdf", OriginalName = "external.pdf", SizeBytes = 1234, Sha256 = Sha("external") });

        var upload = harness.Files.RecordUpload(file.Id, "kimi", "d3ovitn37oq66hmhr4jg", "file-extract");
        await harness.FlushAsync();

        (await _db.ScalarAsync<string>("SELECT concat_ws('|', provider, provider_file_id, status, purpose, size_bytes, filename, sha256) FROM provider_file_uploads WHERE id = @id", ("id", upload.Id)))
            .Should().Be($"kimi|d3ovitn37oq66hmhr4jg|completed|file-extract|1234|external.pdf|{Sha("external")}");
    }

    [Test]
    public async Task A_user_sees_only_their_own_files()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var alice = Guid.NewGuid();
        StoredFile file;
        using (ExaiScope.Begin(ExaiScope.ForUser(alice)))
        {
            file = harness.Files.Register(new FileRegistration { StoragePath = $"{alice}/mine.txt", SizeBytes = 3 });
            var other = () => harness.Files.Register(new FileRegistration { StoragePath = $"{alice}/theirs.txt", OwnerId = Guid.NewGuid() });
            other.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("file.OwnerId");
        }

        await harness.FlushAsync();

        (await _db.ScalarAsync<Guid>("SELECT user_id FROM files WHERE id = @id", ("id", file.Id))).Should().Be(alice);
        using (ExaiScope.Begin(ExaiScope.ForUser(alice)))
        {
            (await harness.Files.GetFileAsync(file.Id)).Should().NotBeNull();
        }

        using (ExaiScope.Begin(ExaiScope.ForUser(Guid.NewGuid())))
        {
            (await harness.Files.GetFileAsync(file.Id)).Should().BeNull();
        }
    }

    [TestCase("../up.txt")]
    [TestCase("/root.txt")]
    [TestCase("a//b.txt")]
    public async Task A_registration_with_a_path_that_could_leave_its_bucket_is_refused_and_nothing_is_queued(string path)
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var recorded = harness.Processor.Counters.Recorded;

        var act = () => harness.Files.Register(new FileRegistration { StoragePath = path });
        var store = () => harness.Files.StoreAsync(new FileRegistration { StoragePath = path }, FilesHarness.Content("x"));

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("file.StoragePath");
        await store.Should().ThrowAsync<ArgumentException>();
        harness.Processor.Counters.Recorded.Should().Be(recorded);
    }

    [Test]
    public async Task A_registration_over_its_buckets_limit_is_refused()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);

        var act = () => harness.Files.Register(new FileRegistration { Bucket = "generated-files", StoragePath = "big.bin", SizeBytes = (10 * 1024 * 1024) + 1 });

        act.Should().Throw<FileLimitExceededException>().Which.LimitName.Should().Be("Files.Buckets[generated-files].MaxFileBytes");
    }

    [Test]
    public async Task Uploading_a_file_that_does_not_exist_or_to_an_unknown_provider_is_refused()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var file = harness.Files.Register(new FileRegistration { StoragePath = $"{Unique()}/x.txt" });

        var missing = () => harness.Files.UploadAsync(Guid.NewGuid(), "kimi", "file-extract");
        var provider = () => harness.Files.UploadAsync(file.Id, "openai", "file-extract");
        var purpose = () => harness.Files.UploadAsync(file.Id, "kimi", "agent");

        (await missing.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("fileId");
        (await provider.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("provider");
        (await purpose.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("purpose");
    }

    internal static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Unique() => Guid.NewGuid().ToString("N")[..10];
}

using Exai.Supabase.Testing;
using System.Net;
using System.Text;
using Exai.Supabase.Files;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Files;

/// <summary>Both stores — Supabase Storage over HTTP (the loopback fake) and the local folder — behind one interface.</summary>
[TestFixture(true)]
[TestFixture(false)]
public sealed class FileStorageTests(bool supabase)
{
    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;
    private FilesHarness _harness = null!;

    private IFileStorage Storage => _harness.Storage;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_files_storage");
        _apis = await LocalFileApis.StartAsync();
        _harness = FilesHarness.Create(_db.ConnectionString, _apis, supabaseStorage: supabase);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _harness.DisposeAsync();
        await _apis.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task An_object_is_written_read_listed_and_deleted()
    {
        var folder = Unique();

        var size = await Storage.PutAsync("user-files", $"{folder}/notes/a.txt", FilesHarness.Content("alpha"), "text/plain");
        await Storage.PutAsync("user-files", $"{folder}/b.txt", FilesHarness.Content("beta"), "text/plain");

        size.Should().Be(5);
        (await ReadAsync("user-files", $"{folder}/notes/a.txt")).Should().Be("alpha");
        var root = await Storage.ListAsync("user-files", folder);
        root.Select(e => (e.Name, e.IsFolder)).Should().Equal(("b.txt", false), ("notes", true));
        root[0].Path.Should().Be($"{folder}/b.txt");
        root[0].SizeBytes.Should().Be(4);
        (await Storage.DeleteAsync("user-files", $"{folder}/notes/a.txt")).Should().BeTrue();
        (await Storage.OpenReadAsync("user-files", $"{folder}/notes/a.txt")).Should().BeNull();
        (await Storage.DeleteAsync("user-files", $"{folder}/notes/a.txt")).Should().BeFalse("a missing object is not an error");
    }

    [Test]
    public async Task An_existing_object_is_replaced_only_when_asked()
    {
        var path = $"{Unique()}/same.txt";
        await Storage.PutAsync("generated-files", path, FilesHarness.Content("first"));

        var act = () => Storage.PutAsync("generated-files", path, FilesHarness.Content("second"));

        (await act.Should().ThrowAsync<FileStorageException>()).Which.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ReadAsync("generated-files", path)).Should().Be("first");
        await Storage.PutAsync("generated-files", path, FilesHarness.Content("third"), overwrite: true);
        (await ReadAsync("generated-files", path)).Should().Be("third");
    }

    [Test]
    public async Task A_file_over_its_buckets_limit_is_refused_before_anything_is_written()
    {
        var path = $"{Unique()}/big.bin";
        var posts = _apis.Storage.Count("POST");

        var seekable = () => Storage.PutAsync("generated-files", path, new LengthOnlyStream((10 * 1024 * 1024) + 1));
        var streamed = () => Storage.PutAsync("generated-files", path, new NonSeekable(new LengthOnlyStream((10 * 1024 * 1024) + 1)));
        var userFiles = () => Storage.PutAsync("user-files", path, new LengthOnlyStream((50 * 1024 * 1024) + 1));

        (await seekable.Should().ThrowAsync<FileLimitExceededException>()).Which.LimitName.Should().Be("Files.Buckets[generated-files].MaxFileBytes");
        (await streamed.Should().ThrowAsync<FileLimitExceededException>()).Which.Limit.Should().Be(10 * 1024 * 1024);
        (await userFiles.Should().ThrowAsync<FileLimitExceededException>()).Which.LimitName.Should().Be("Files.Buckets[user-files].MaxFileBytes");
        _apis.Storage.Count("POST").Should().Be(posts);
        (await Storage.OpenReadAsync("generated-files", path)).Should().BeNull();
    }

    [Test]
    public async Task A_bucket_that_is_not_configured_is_refused()
    {
        var act = () => Storage.PutAsync("secrets", "a.txt", FilesHarness.Content("x"));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("Exai:Files:Buckets:secrets");
    }

    [TestCase("../escape.txt")]
    [TestCase("a/../../escape.txt")]
    [TestCase("/etc/passwd")]
    [TestCase("a//b.txt")]
    [TestCase("a/./b.txt")]
    [TestCase("a/")]
    [TestCase("a\\..\\b.txt")]
    [TestCase("C:/windows/win.ini")]
    [TestCase("a/\u0001b.txt")]
    [TestCase("")]
    public async Task A_path_that_could_leave_its_bucket_is_refused(string path)
    {
        var requests = _apis.Storage.Requests.Count;

        var put = () => Storage.PutAsync("user-files", path, FilesHarness.Content("x"));
        var read = () => Storage.OpenReadAsync("user-files", path);
        var delete = () => Storage.DeleteAsync("user-files", path);

        await put.Should().ThrowAsync<ArgumentException>();
        await read.Should().ThrowAsync<ArgumentException>();
        await delete.Should().ThrowAsync<ArgumentException>();
        _apis.Storage.Requests.Count.Should().Be(requests);
        if (!supabase)
        {
            Directory.EnumerateFiles(Path.GetDirectoryName(_harness.LocalDirectory)!, "escape.txt", SearchOption.AllDirectories).Should().BeEmpty();
        }
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..10];

    private async Task<string?> ReadAsync(string bucket, string path)
    {
        var stream = await Storage.OpenReadAsync(bucket, path);
        if (stream is null)
        {
            return null;
        }

        await using (stream)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }

    private sealed class NonSeekable(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

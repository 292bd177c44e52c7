using Exai.Supabase.Testing;
using System.Diagnostics;
using System.Net;
using Exai.Supabase.Files;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Exai.Supabase.Tests.Files;

/// <summary>The providers' files APIs through our own HTTP clients, against the loopback fake.</summary>
public sealed class ProviderFileClientTests
{
    private const long MiB = 1024 * 1024;
    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_files_clients");
        _apis = await LocalFileApis.StartAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _apis.DisposeAsync();
        await _db.DisposeAsync();
    }

    [SetUp]
    public void Reset()
    {
        _apis.Kimi.ClearFaults();
        _apis.Glm.ClearFaults();
        _apis.Kimi.ForcedPageSize = null;
    }

    [Test]
    public async Task An_upload_sends_the_file_and_its_purpose_as_multipart_and_reads_the_file_object()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var kimi = harness.Clients.GetClient("kimi");

        var file = await kimi.UploadAsync(FilesHarness.Content("hello kimi"), "hello.txt", "file-extract", "text/plain");

        file.Id.Should().MatchRegex("^[0-9a-z]{20}$");
        file.Bytes.Should().Be(10);
        file.Filename.Should().Be("hello.txt");
        file.Purpose.Should().Be("file-extract");
        file.Status.Should().Be("ok");
        var stored = _apis.Kimi.Files[file.Id];
        System.Text.Encoding.UTF8.GetString(stored.Content).Should().Be("hello kimi");
        (await kimi.GetAsync(file.Id))!.Filename.Should().Be("hello.txt");
        System.Text.Encoding.UTF8.GetString((await kimi.GetContentAsync(file.Id))!).Should().Be("hello kimi");
        (await kimi.DeleteAsync(file.Id)).Should().BeTrue();
        (await kimi.GetAsync(file.Id)).Should().BeNull();
    }

    [Test]
    public async Task The_stand_ins_stamp_uploads_with_the_clock_they_were_started_with()
    {
        var at = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        await using var apis = await LocalFileApis.StartAsync(new FakeTimeProvider(at));
        await using var harness = FilesHarness.Create(_db.ConnectionString, apis);

        var kimi = await harness.Clients.GetClient("kimi").UploadAsync(FilesHarness.Content("a"), "a.txt", "file-extract", "text/plain");
        var glm = await harness.Clients.GetClient("glm").UploadAsync(FilesHarness.Content("b"), "b.txt", "file-extract", "text/plain");

        kimi.CreatedAt.Should().Be(at);
        glm.CreatedAt.Should().Be(at);
        glm.Id.Should().StartWith($"{at.ToUnixTimeSeconds()}_", "a GLM file id begins with its upload's unix seconds");
    }

    [Test]
    public async Task Deleting_or_reading_a_file_the_provider_does_not_know_is_not_an_error()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var glm = harness.Clients.GetClient("glm");

        (await glm.DeleteAsync("1761284083_0123456789abcdef0123456789abcdef")).Should().BeFalse();
        (await glm.GetAsync("1761284083_0123456789abcdef0123456789abcdef")).Should().BeNull();
        (await glm.GetContentAsync("1761284083_0123456789abcdef0123456789abcdef")).Should().BeNull();
    }

    [Test]
    public async Task A_glm_listing_follows_has_more_across_pages_and_purposes()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Providers["glm"].ListPageSize = 2);
        var before = _apis.Glm.Count("GET");
        var seeded = Enumerable.Range(0, 5).Select(_ => _apis.Glm.Add("file-extract").Id)
            .Concat(Enumerable.Range(0, 3).Select(_ => _apis.Glm.Add("batch").Id)).ToList();

        var all = await harness.Clients.GetClient("glm").ListAllAsync();

        all.Select(f => f.Id).Should().Contain(seeded);
        all.Select(f => f.Id).Should().OnlyHaveUniqueItems();
        // file-extract: 3 pages; batch: 2; code-interpreter and agent: 1 each.
        (_apis.Glm.Count("GET") - before).Should().BeGreaterThanOrEqualTo(7);
        _apis.Glm.Requests.Should().Contain(r => r.Path.Contains("after=", StringComparison.Ordinal) && r.Path.Contains("limit=2", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_moonshot_listing_that_pages_on_its_own_is_followed_to_the_end()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        _apis.Kimi.ForcedPageSize = 2;
        var seeded = Enumerable.Range(0, 5).Select(_ => _apis.Kimi.Add().Id).ToList();

        var all = await harness.Clients.GetClient("kimi").ListAllAsync();

        all.Select(f => f.Id).Should().Contain(seeded);
    }

    [Test]
    public async Task A_500_is_retried_and_the_request_then_succeeds()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var before = _apis.Kimi.Count("POST");
        _apis.Kimi.Fail(500, times: 2, method: "POST");

        var file = await harness.Clients.GetClient("kimi").UploadAsync(FilesHarness.Content("after two 500s"), "a.txt", "file-extract");

        (_apis.Kimi.Count("POST") - before).Should().Be(3);
        _apis.Kimi.Files.Should().ContainKey(file.Id);
        System.Text.Encoding.UTF8.GetString(_apis.Kimi.Files[file.Id].Content).Should().Be("after two 500s", "a retry sends the whole content again");
    }

    [Test]
    public async Task A_429_is_retried_after_the_seconds_its_Retry_After_asks_for()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var glm = harness.Clients.GetClient("glm");
        var id = _apis.Glm.Add().Id;
        _apis.Glm.Fail(429, method: "DELETE", retryAfter: "1");
        var clock = Stopwatch.StartNew();

        var deleted = await glm.DeleteAsync(id);

        deleted.Should().BeTrue();
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950));
    }

    [Test]
    public async Task A_Retry_After_given_as_an_http_date_is_honoured()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var id = _apis.Kimi.Add().Id;
        _apis.Kimi.Fail(503, method: "GET", retryAfter: DateTimeOffset.UtcNow.AddSeconds(2).ToString("R"));
        var clock = Stopwatch.StartNew();

        var file = await harness.Clients.GetClient("kimi").GetAsync(id);

        file.Should().NotBeNull();
        // HTTP dates have whole seconds: the wait is at least one.
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900));
    }

    [Test]
    public async Task A_Retry_After_longer_than_the_limit_ends_the_request_with_the_wait_it_asked_for()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var before = _apis.Kimi.Count("GET");
        _apis.Kimi.Fail(429, method: "GET", retryAfter: "3600");

        var act = () => harness.Clients.GetClient("kimi").ListAsync();

        var thrown = (await act.Should().ThrowAsync<ProviderFileException>()).Which;
        thrown.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        thrown.RetryAfter.Should().Be(TimeSpan.FromHours(1));
        thrown.Provider.Should().Be("kimi");
        (_apis.Kimi.Count("GET") - before).Should().Be(1);
    }

    [Test]
    public async Task A_provider_that_keeps_failing_ends_in_an_exception_after_the_configured_attempts()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var before = _apis.Glm.Count("GET");
        _apis.Glm.Fail(502, times: 3, method: "GET");

        var act = () => harness.Clients.GetClient("glm").ListAsync("batch");

        var thrown = (await act.Should().ThrowAsync<ProviderFileException>()).Which;
        thrown.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        thrown.Message.Should().Contain("3 attempts").And.Contain("502");
        (_apis.Glm.Count("GET") - before).Should().Be(3);
    }

    [Test]
    public async Task A_provider_that_times_out_is_retried_for_reads_and_not_for_uploads()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o =>
        {
            o.Providers["kimi"].Timeout = TimeSpan.FromMilliseconds(300);
            o.Providers["kimi"].MaxAttempts = 2;
        });
        var kimi = harness.Clients.GetClient("kimi");
        var gets = _apis.Kimi.Count("GET");
        _apis.Kimi.Hang(TimeSpan.FromSeconds(5), times: 2, method: "GET");

        var read = () => kimi.GetAsync("d3ovitn37oq66hmhr4jg");
        var readFailure = (await read.Should().ThrowAsync<ProviderFileException>()).Which;

        readFailure.IsTimeout.Should().BeTrue();
        readFailure.StatusCode.Should().BeNull();
        readFailure.Message.Should().Contain("timed out").And.Contain("2 attempts");
        (_apis.Kimi.Count("GET") - gets).Should().Be(2);

        var posts = _apis.Kimi.Count("POST");
        _apis.Kimi.Hang(TimeSpan.FromSeconds(5), times: 2, method: "POST");
        var upload = () => kimi.UploadAsync(FilesHarness.Content("slow"), "slow.txt", "file-extract");
        (await upload.Should().ThrowAsync<ProviderFileException>()).Which.IsTimeout.Should().BeTrue();
        (_apis.Kimi.Count("POST") - posts).Should().Be(1, "an upload that may have arrived is not sent twice");
    }

    [Test]
    public async Task Size_limits_are_enforced_per_provider_and_purpose_before_anything_is_sent()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var kimi = harness.Clients.GetClient("kimi");
        var glm = harness.Clients.GetClient("glm");
        var posts = _apis.Kimi.Count("POST") + _apis.Glm.Count("POST");

        var overKimi = () => kimi.UploadAsync(new LengthOnlyStream((100 * MiB) + 1), "big.pdf", "file-extract");
        var overExtract = () => glm.UploadAsync(new LengthOnlyStream((50 * MiB) + 1), "big.pdf", "file-extract");
        var overImage = () => glm.UploadAsync(new LengthOnlyStream((5 * MiB) + 1), "big.png", "file-extract", "image/png");
        var overAgent = () => glm.UploadAsync(new LengthOnlyStream((20 * MiB) + 1), "big.pdf", "agent");
        var overBatch = () => glm.UploadAsync(new LengthOnlyStream((100 * MiB) + 1), "big.jsonl", "batch");

        (await overKimi.Should().ThrowAsync<FileLimitExceededException>()).Which.LimitName.Should().Be("Files.Providers[kimi].MaxFileBytes");
        (await overExtract.Should().ThrowAsync<FileLimitExceededException>()).Which.LimitName.Should().Be("Files.Providers[glm].PurposeLimits[file-extract].MaxFileBytes");
        var image = (await overImage.Should().ThrowAsync<FileLimitExceededException>()).Which;
        image.LimitName.Should().Be("Files.Providers[glm].PurposeLimits[file-extract].MaxImageBytes");
        image.Limit.Should().Be(5 * MiB);
        image.Actual.Should().Be((5 * MiB) + 1);
        (await overAgent.Should().ThrowAsync<FileLimitExceededException>()).Which.LimitName.Should().Be("Files.Providers[glm].PurposeLimits[agent].MaxFileBytes");
        (await overBatch.Should().ThrowAsync<FileLimitExceededException>()).Which.Message.Should().Contain("PurposeLimits[batch].MaxFileBytes");
        (_apis.Kimi.Count("POST") + _apis.Glm.Count("POST")).Should().Be(posts);
    }

    [Test]
    public async Task The_account_file_count_limit_is_checked_against_the_providers_listing()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Providers["kimi"].MaxFiles = _apis.Kimi.Files.Count + 1);
        var kimi = harness.Clients.GetClient("kimi");
        await kimi.UploadAsync(FilesHarness.Content("fills the account"), "one.txt", "file-extract");
        var posts = _apis.Kimi.Count("POST");

        var act = () => kimi.UploadAsync(FilesHarness.Content("one too many"), "two.txt", "file-extract");

        var thrown = (await act.Should().ThrowAsync<FileLimitExceededException>()).Which;
        thrown.LimitName.Should().Be("Files.Providers[kimi].MaxFiles");
        thrown.Message.Should().Contain("files");
        _apis.Kimi.Count("POST").Should().Be(posts);
    }

    [Test]
    public async Task A_purpose_the_provider_does_not_accept_is_refused_before_sending()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var posts = _apis.Glm.Count("POST");

        var act = () => harness.Clients.GetClient("glm").UploadAsync(FilesHarness.Content("x"), "x.png", "image");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'image' is not a purpose of provider 'glm'");
        _apis.Glm.Count("POST").Should().Be(posts);
    }

    [Test]
    public async Task Another_openai_style_provider_is_added_by_configuration()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o =>
        {
            var provider = FilesHarness.Provider(_apis.KimiBaseUrl, LocalFileApis.KimiKey);
            provider.Purposes = ["assistants"];
            provider.MaxFileBytes = 1024;
            o.Providers["acme"] = provider;
        });
        var acme = harness.Clients.GetClient("ACME");

        var file = await acme.UploadAsync(FilesHarness.Content("via configuration"), "c.txt", "assistants");
        var tooBig = () => acme.UploadAsync(new LengthOnlyStream(1025), "d.txt", "assistants");

        acme.Provider.Should().Be("acme");
        _apis.Kimi.Files[file.Id].Purpose.Should().Be("assistants");
        (await tooBig.Should().ThrowAsync<FileLimitExceededException>()).Which.LimitName.Should().Be("Files.Providers[acme].MaxFileBytes");
    }

    [Test]
    public async Task The_api_key_never_reaches_a_log_line_or_an_exception_message()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Providers["glm"].ApiKey = "sk-wrong-secret-0042");
        var glm = harness.Clients.GetClient("glm");
        var kimi = harness.Clients.GetClient("kimi");
        _apis.Kimi.Fail(500, method: "GET");

        await kimi.ListAsync();
        var act = () => glm.ListAsync("batch");

        var thrown = (await act.Should().ThrowAsync<ProviderFileException>()).Which;
        thrown.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        thrown.Message.Should().Contain("Invalid API key").And.NotContain("sk-wrong-secret-0042");
        thrown.ToString().Should().NotContain("sk-wrong-secret-0042");
        var lines = TestLoggerProvider.Instance.Lines.Select(l => l.Message + l.Exception).ToList();
        lines.Should().Contain(l => l.Contains("System.Net.Http", StringComparison.Ordinal) || l.Contains("Sending HTTP request", StringComparison.Ordinal) || l.Contains("Request-Headers", StringComparison.Ordinal) || l.Contains("Start processing HTTP request", StringComparison.Ordinal),
            "the HTTP client's own logging is on, so the check below means something");
        lines.Should().NotContain(l => l.Contains("sk-wrong-secret-0042", StringComparison.Ordinal) || l.Contains(LocalFileApis.KimiKey, StringComparison.Ordinal));
    }

    [Test]
    public void An_unknown_provider_is_refused_with_the_names_that_are_configured()
    {
        using var _ = new CancellationTokenSource();
        var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        try
        {
            var act = () => harness.Clients.GetClient("openai");

            act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("kimi").And.Contain("Exai:Files:Providers:openai");
        }
        finally
        {
            harness.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

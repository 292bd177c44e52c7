using Exai.Supabase.Testing;
using System.Text;
using Exai.Supabase.Files;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Files;

/// <summary>What only the HTTP store does: retries, headers, Supabase's error forms.</summary>
public sealed class SupabaseStorageTests
{
    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;
    private FilesHarness _harness = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_files_supabase");
        _apis = await LocalFileApis.StartAsync();
        _harness = FilesHarness.Create(_db.ConnectionString, _apis);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _harness.DisposeAsync();
        await _apis.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task A_5xx_from_storage_is_retried()
    {
        var path = $"{Guid.NewGuid():N}/retry.txt";
        var posts = _apis.Storage.Count("POST");
        _apis.Storage.Fail(503, times: 1, method: "POST");

        await _harness.Storage.PutAsync("user-files", path, FilesHarness.Content("after a 503"));

        (_apis.Storage.Count("POST") - posts).Should().Be(2);
        Encoding.UTF8.GetString(_apis.Storage.Objects[$"user-files/{path}"].Content).Should().Be("after a 503");
    }

    [Test]
    public async Task A_wrong_service_key_is_refused_without_the_key_in_the_message()
    {
        await using var wrong = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Storage.ServiceKey = "not-the-service-key-9911");

        var act = () => wrong.Storage.PutAsync("user-files", "denied.txt", FilesHarness.Content("x"));

        var thrown = (await act.Should().ThrowAsync<FileStorageException>()).Which;
        thrown.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden, "Supabase's HTTP 400 carries the real status in its body");
        thrown.Message.Should().NotContain("not-the-service-key-9911");
        _apis.Storage.Has("user-files", "denied.txt").Should().BeFalse();
    }
}

using Exai.Supabase.Testing;
using Exai.Supabase.Files;
using Exai.Supabase.Security;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Files;

/// <summary>Comparing a provider's listing with the records, both ways, across pages.</summary>
public sealed class FileOrphanTests
{
    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync() => _db = await MigratedDatabase.CreateAsync("exai_files_orphans");

    [OneTimeTearDown]
    public async Task DropDatabaseAsync() => await _db.DisposeAsync();

    // A fresh provider per test, so each test's listing holds only its own files.
    [SetUp]
    public async Task StartAsync() => _apis = await LocalFileApis.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _apis.DisposeAsync();

    [Test]
    public async Task Orphans_are_found_both_ways_across_several_pages_and_cleaned_up_on_request()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Providers["glm"].ListPageSize = 2);
        var old = DateTimeOffset.UtcNow.AddDays(-2);
        var unknown = Enumerable.Range(0, 5).Select(_ => _apis.Glm.Add("file-extract", old).Id)
            .Concat(Enumerable.Range(0, 3).Select(_ => _apis.Glm.Add("batch", old).Id)).ToList();
        var live = new List<ProviderUpload>();
        for (var i = 0; i < 5; i++)
        {
            var file = await harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{Guid.NewGuid():N}/f.txt" }, FilesHarness.Content($"kept {Guid.NewGuid()}"));
            live.Add(await harness.Files.UploadAsync(file.Id, "glm", "file-extract"));
        }

        var gone = live.Take(2).ToList();
        foreach (var upload in gone)
        {
            _apis.Glm.Files.TryRemove(upload.ProviderFileId, out _);
        }

        await harness.FlushAsync();
        var pagesBefore = _apis.Glm.Count("GET");

        var report = await harness.Files.FindOrphansAsync("glm");

        (_apis.Glm.Count("GET") - pagesBefore).Should().BeGreaterThan(4, "the listing spans several pages");
        report.ProviderFileCount.Should().Be(unknown.Count + live.Count - gone.Count);
        report.RecordCount.Should().Be(live.Count);
        report.UnknownProviderFiles.Select(f => f.Id).Should().BeEquivalentTo(unknown);
        report.MissingProviderFiles.Select(u => u.Id).Should().BeEquivalentTo(gone.Select(u => u.Id));
        report.CleanedUp.Should().BeFalse();
        report.DeletionJobIds.Should().BeEmpty();

        var cleaned = await harness.Files.FindOrphansAsync("glm", cleanUp: true);
        await harness.FlushAsync();
        while (await harness.Runner.RunOnceAsync(default) > 0)
        {
        }

        cleaned.DeletionJobIds.Should().HaveCount(unknown.Count);
        _apis.Glm.Files.Keys.Should().BeEquivalentTo(live.Skip(2).Select(u => u.ProviderFileId));
        (await _db.ScalarAsync<long>("SELECT count(*) FROM provider_file_uploads WHERE id = ANY(@ids) AND status = 'deleted'", ("ids", gone.Select(u => u.Id).ToArray()))).Should().Be(2);
        var after = await harness.Files.FindOrphansAsync("glm");
        after.UnknownProviderFiles.Should().BeEmpty();
        after.MissingProviderFiles.Should().BeEmpty();
    }

    [Test]
    public async Task A_moonshot_listing_is_compared_the_same_way()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        _apis.Kimi.ForcedPageSize = 3;
        var stray = _apis.Kimi.Add(createdAt: DateTimeOffset.UtcNow.AddHours(-3)).Id;
        var file = await harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{Guid.NewGuid():N}/k.txt" }, FilesHarness.Content($"k {Guid.NewGuid()}"));
        var kept = await harness.Files.UploadAsync(file.Id, "kimi", "file-extract");
        for (var i = 0; i < 6; i++)
        {
            var other = await harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{Guid.NewGuid():N}/k.txt" }, FilesHarness.Content($"k {Guid.NewGuid()}"));
            await harness.Files.UploadAsync(other.Id, "kimi", "file-extract");
        }

        await harness.FlushAsync();

        var report = await harness.Files.FindOrphansAsync("kimi");

        report.UnknownProviderFiles.Should().ContainSingle().Which.Id.Should().Be(stray);
        report.MissingProviderFiles.Should().NotContain(u => u.ProviderFileId == kept.ProviderFileId);
        report.ProviderFileCount.Should().Be(8);
    }

    [Test]
    public async Task Files_younger_than_the_grace_period_are_left_out()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o => o.OrphanGracePeriod = TimeSpan.FromHours(1));
        var young = _apis.Glm.Add("batch").Id;
        var aged = _apis.Glm.Add("batch", DateTimeOffset.UtcNow.AddHours(-2)).Id;

        var report = await harness.Files.FindOrphansAsync("glm");

        report.UnknownProviderFiles.Select(f => f.Id).Should().Contain(aged).And.NotContain(young);
    }

    [Test]
    public async Task A_user_scope_may_not_scan_for_orphans()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        using var _ = ExaiScope.Begin(ExaiScope.ForUser(Guid.NewGuid()));

        var act = () => harness.Files.FindOrphansAsync("glm", cleanUp: true);

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should().Contain("service scope");
        _apis.Glm.Requests.Should().BeEmpty();
    }
}

using Exai.Supabase.Testing;
using Exai.Supabase.Files;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Exai.Supabase.Tests.Files;

/// <summary>The deletion queue: one transaction with its snapshot, workers claiming with SKIP LOCKED, retries, reclaiming.</summary>
public sealed class FileDeletionTests
{
    private MigratedDatabase _db = null!;
    private LocalFileApis _apis = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_files_deletion");
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
        _apis.Storage.ClearFaults();
        _apis.Kimi.Latency = TimeSpan.Zero;
    }

    [Test]
    public async Task Deleting_a_file_removes_it_at_every_provider_in_storage_and_from_the_database()
    {
        var time = NewClock();
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, time: time);
        var file = await StoreAsync(harness);
        var atKimi = await harness.Files.UploadAsync(file.Id, "kimi", "file-extract");
        var atGlm = await harness.Files.UploadAsync(file.Id, "glm", "file-extract");

        var jobId = await harness.Files.DeleteAsync(file.Id, "the user asked");

        jobId.Should().NotBeNull();
        (await harness.Files.GetFileAsync(file.Id)).Should().BeNull("its deletion was asked for");
        await harness.FlushAsync();
        var queued = await harness.Files.GetDeletionJobAsync(jobId!.Value);
        queued!.Status.Should().Be(FileDeletionStatus.Pending);
        queued.Reason.Should().Be("the user asked");
        (await _db.ScalarAsync<bool>("SELECT deleted_at IS NOT NULL FROM files WHERE id = @id", ("id", file.Id))).Should().BeTrue();
        (await _db.ScalarAsync<string>("SELECT targets->>'path' FROM file_deletion_jobs WHERE id = @id", ("id", jobId.Value))).Should().Be(file.StoragePath);
        (await _db.ScalarAsync<int>("SELECT jsonb_array_length(targets->'providers') FROM file_deletion_jobs WHERE id = @id", ("id", jobId.Value))).Should().Be(2);

        (await harness.Runner.RunOnceAsync(default)).Should().Be(1);

        var done = await harness.Files.GetDeletionJobAsync(jobId.Value);
        done!.Status.Should().Be(FileDeletionStatus.Completed);
        done.Attempts.Should().Be(1);
        done.CompletedAt.Should().Be(time.GetUtcNow());
        _apis.Kimi.Files.Should().NotContainKey(atKimi.ProviderFileId);
        _apis.Glm.Files.Should().NotContainKey(atGlm.ProviderFileId);
        _apis.Storage.Has(file.Bucket, file.StoragePath).Should().BeFalse();
        (await _db.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = @id", ("id", file.Id))).Should().Be(0);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM provider_file_uploads WHERE provider_file_id IN (@a, @b)", ("a", atKimi.ProviderFileId), ("b", atGlm.ProviderFileId))).Should().Be(0);
        // The job outlives the file's rows and still says what it deleted.
        (await _db.ScalarAsync<string>("SELECT targets->>'storageOutcome' FROM file_deletion_jobs WHERE id = @id", ("id", jobId.Value))).Should().Be("deleted");
    }

    [Test]
    public async Task A_provider_file_shared_with_another_file_stays_until_the_last_one_goes()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var text = $"shared {Guid.NewGuid()}";
        var first = await StoreAsync(harness, text);
        var second = await StoreAsync(harness, text);
        var upload = await harness.Files.UploadAsync(first.Id, "kimi", "file-extract");
        await harness.Files.UploadAsync(second.Id, "kimi", "file-extract");

        await harness.Files.DeleteAsync(first.Id);
        await harness.FlushAsync();
        await harness.Runner.RunOnceAsync(default);

        _apis.Kimi.Files.Should().ContainKey(upload.ProviderFileId, "the second file still uses it");
        (await harness.Files.CountUploadReferencesAsync("kimi", upload.ProviderFileId)).Should().Be(1);
        _apis.Storage.Has(first.Bucket, first.StoragePath).Should().BeFalse();

        await harness.Files.DeleteAsync(second.Id);
        await harness.FlushAsync();
        await harness.Runner.RunOnceAsync(default);

        _apis.Kimi.Files.Should().NotContainKey(upload.ProviderFileId);
        (await harness.Files.CountUploadReferencesAsync("kimi", upload.ProviderFileId)).Should().Be(0);
    }

    [Test]
    public async Task A_500_at_the_provider_leaves_the_job_pending_with_its_error_and_it_succeeds_on_a_later_attempt()
    {
        var time = NewClock();
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Providers["kimi"].MaxAttempts = 1, time: time);
        var file = await StoreAsync(harness);
        var upload = await harness.Files.UploadAsync(file.Id, "kimi", "file-extract");
        var jobId = (await harness.Files.DeleteAsync(file.Id))!.Value;
        await harness.FlushAsync();
        _apis.Kimi.Fail(500, method: "DELETE");

        await harness.Runner.RunOnceAsync(default);

        var failed = (await harness.Files.GetDeletionJobAsync(jobId))!;
        failed.Status.Should().Be(FileDeletionStatus.Pending);
        failed.Attempts.Should().Be(1);
        failed.LastError.Should().Contain("500").And.Contain("kimi");
        failed.NextAttemptAt.Should().BeAfter(time.GetUtcNow()).And.BeOnOrBefore(time.GetUtcNow() + TimeSpan.FromSeconds(1));
        _apis.Storage.Has(file.Bucket, file.StoragePath).Should().BeFalse("the other targets were deleted in the meantime");
        (await harness.Runner.RunOnceAsync(default)).Should().Be(0, "the retry is not due yet");

        time.Advance(TimeSpan.FromSeconds(2));
        (await harness.Runner.RunOnceAsync(default)).Should().Be(1);

        var done = (await harness.Files.GetDeletionJobAsync(jobId))!;
        done.Status.Should().Be(FileDeletionStatus.Completed);
        done.Attempts.Should().Be(2);
        done.LastError.Should().BeNull();
        _apis.Kimi.Files.Should().NotContainKey(upload.ProviderFileId);
    }

    [Test]
    public async Task A_429_whose_Retry_After_is_too_long_to_wait_schedules_the_next_attempt_after_it()
    {
        var time = NewClock();
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, time: time);
        var file = await StoreAsync(harness);
        await harness.Files.UploadAsync(file.Id, "glm", "file-extract");
        var jobId = (await harness.Files.DeleteAsync(file.Id))!.Value;
        await harness.FlushAsync();
        _apis.Glm.Fail(429, method: "DELETE", retryAfter: "120");

        await harness.Runner.RunOnceAsync(default);

        var waiting = (await harness.Files.GetDeletionJobAsync(jobId))!;
        waiting.Status.Should().Be(FileDeletionStatus.Pending);
        waiting.LastError.Should().Contain("429").And.Contain("Retry-After 120 s");
        waiting.NextAttemptAt.Should().BeOnOrAfter(time.GetUtcNow() + TimeSpan.FromSeconds(120));
        time.Advance(TimeSpan.FromSeconds(60));
        (await harness.Runner.RunOnceAsync(default)).Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(61));
        (await harness.Runner.RunOnceAsync(default)).Should().Be(1);
        (await harness.Files.GetDeletionJobAsync(jobId))!.Status.Should().Be(FileDeletionStatus.Completed);
    }

    [Test]
    public async Task A_provider_file_that_is_already_gone_counts_as_deleted()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var file = await StoreAsync(harness);
        var upload = await harness.Files.UploadAsync(file.Id, "kimi", "file-extract");
        _apis.Kimi.Files.TryRemove(upload.ProviderFileId, out _);
        var jobId = (await harness.Files.DeleteAsync(file.Id))!.Value;
        await harness.FlushAsync();

        await harness.Runner.RunOnceAsync(default);

        (await harness.Files.GetDeletionJobAsync(jobId))!.Status.Should().Be(FileDeletionStatus.Completed);
        (await _db.ScalarAsync<string>("SELECT targets->'providers'->0->>'outcome' FROM file_deletion_jobs WHERE id = @id", ("id", jobId))).Should().Be("not found");
        (await _db.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = @id", ("id", file.Id))).Should().Be(0);
    }

    [Test]
    public async Task A_job_that_keeps_failing_is_marked_failed_after_its_attempts_with_the_last_error()
    {
        var time = NewClock();
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o =>
        {
            o.Providers["glm"].MaxAttempts = 1;
            o.Deletion.MaxAttempts = 3;
        }, time: time);
        var file = await StoreAsync(harness);
        await harness.Files.UploadAsync(file.Id, "glm", "file-extract");
        var jobId = (await harness.Files.DeleteAsync(file.Id))!.Value;
        await harness.FlushAsync();
        _apis.Glm.Fail(503, times: 3, method: "DELETE");

        for (var i = 0; i < 3; i++)
        {
            (await harness.Runner.RunOnceAsync(default)).Should().Be(1);
            time.Advance(TimeSpan.FromSeconds(20));
        }

        var job = (await harness.Files.GetDeletionJobAsync(jobId))!;
        job.Status.Should().Be(FileDeletionStatus.Failed);
        job.Attempts.Should().Be(3);
        job.LastError.Should().Contain("503");
        (await harness.Runner.RunOnceAsync(default)).Should().Be(0, "a failed job is not claimed again");
        (await _db.ScalarAsync<bool>("SELECT deleted_at IS NOT NULL FROM files WHERE id = @id", ("id", file.Id))).Should().BeTrue("the records stay while the provider file may still exist");
    }

    [Test]
    public async Task Two_competing_workers_never_work_the_same_job()
    {
        await using var first = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Deletion.Concurrency = 3);
        await using var second = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Deletion.Concurrency = 3);
        var uploads = new List<ProviderUpload>();
        var jobs = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var file = await StoreAsync(first);
            uploads.Add(await first.Files.UploadAsync(file.Id, "kimi", "file-extract"));
            jobs.Add((await first.Files.DeleteAsync(file.Id))!.Value);
        }

        await first.FlushAsync();
        var deletes = _apis.Kimi.Count("DELETE");
        _apis.Kimi.Latency = TimeSpan.FromMilliseconds(100);

        var claimed = await Task.WhenAll(DrainAsync(first), DrainAsync(second));

        claimed.Sum().Should().Be(12);
        claimed.Should().OnlyContain(n => n > 0, "both workers took part");
        (_apis.Kimi.Count("DELETE") - deletes).Should().Be(12);
        foreach (var upload in uploads)
        {
            _apis.Kimi.Count("DELETE", upload.ProviderFileId).Should().Be(1);
        }

        (await _db.ScalarAsync<long>("SELECT count(*) FROM file_deletion_jobs WHERE id = ANY(@ids) AND status = 'completed' AND attempts = 1", ("ids", jobs.ToArray()))).Should().Be(12);
    }

    [Test]
    public async Task A_job_whose_worker_died_is_taken_over_once_its_lock_is_stale()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var file = await StoreAsync(harness);
        var jobId = (await harness.Files.DeleteAsync(file.Id))!.Value;
        await harness.FlushAsync();
        await _db.ExecuteAsync($"UPDATE file_deletion_jobs SET status = 'running', locked_by = 'dead-host/1', locked_at = now(), attempts = 1 WHERE id = '{jobId}'");

        (await harness.Runner.RunOnceAsync(default)).Should().Be(0, "a fresh lock belongs to a live worker");
        await _db.ExecuteAsync($"UPDATE file_deletion_jobs SET locked_at = now() - interval '11 minutes' WHERE id = '{jobId}'");
        (await harness.Runner.RunOnceAsync(default)).Should().Be(1);

        var job = (await harness.Files.GetDeletionJobAsync(jobId))!;
        job.Status.Should().Be(FileDeletionStatus.Completed);
        job.Attempts.Should().Be(2);
        _apis.Storage.Has(file.Bucket, file.StoragePath).Should().BeFalse();
    }

    [Test]
    public async Task A_path_registered_again_before_the_worker_runs_is_not_deleted()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var file = await StoreAsync(harness);
        var jobId = (await harness.Files.DeleteAsync(file.Id))!.Value;
        await harness.FlushAsync();

        var again = harness.Files.Register(new FileRegistration { StoragePath = file.StoragePath, SizeBytes = file.SizeBytes, Sha256 = file.Sha256 });
        await harness.FlushAsync();
        await harness.Runner.RunOnceAsync(default);

        again.Id.Should().Be(file.Id, "a file's id comes from its bucket and path");
        var job = (await harness.Files.GetDeletionJobAsync(jobId))!;
        job.Status.Should().Be(FileDeletionStatus.Completed);
        job.LastError.Should().StartWith("skipped");
        _apis.Storage.Has(file.Bucket, file.StoragePath).Should().BeTrue();
        (await harness.Files.GetFileAsync(file.Id)).Should().NotBeNull();
    }

    [Test]
    public async Task A_user_may_delete_their_own_file_and_not_another_users()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);
        var alice = Guid.NewGuid();
        StoredFile file;
        using (Exai.Supabase.Security.ExaiScope.Begin(Exai.Supabase.Security.ExaiScope.ForUser(alice)))
        {
            file = await StoreAsync(harness);
            await harness.FlushAsync();
        }

        using (Exai.Supabase.Security.ExaiScope.Begin(Exai.Supabase.Security.ExaiScope.ForUser(Guid.NewGuid())))
        {
            (await harness.Files.DeleteAsync(file.Id)).Should().BeNull("row-level security hides alice's file from mallory");
        }

        Guid jobId;
        using (Exai.Supabase.Security.ExaiScope.Begin(Exai.Supabase.Security.ExaiScope.ForUser(alice)))
        {
            jobId = (await harness.Files.DeleteAsync(file.Id))!.Value;
            await harness.FlushAsync();
            (await harness.Files.GetDeletionJobAsync(jobId))!.Status.Should().Be(FileDeletionStatus.Pending, "the owner sees her job");
        }

        (await _db.ScalarAsync<Guid>("SELECT user_id FROM file_deletion_jobs WHERE id = @id", ("id", jobId))).Should().Be(alice);
        await harness.Runner.RunOnceAsync(default);
        (await _db.ScalarAsync<long>("SELECT count(*) FROM files WHERE id = @id", ("id", file.Id))).Should().Be(0);
    }

    [Test]
    public async Task Deleting_an_unknown_file_queues_nothing()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis);

        (await harness.Files.DeleteAsync(Guid.NewGuid())).Should().BeNull();
    }

    [Test]
    public async Task The_hosted_worker_deletes_a_queued_file_without_being_asked()
    {
        await using var harness = FilesHarness.Create(_db.ConnectionString, _apis, o => o.Deletion.PollInterval = TimeSpan.FromMinutes(5));
        var hosted = harness.Services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(default);
        }

        try
        {
            var file = await StoreAsync(harness);
            var upload = await harness.Files.UploadAsync(file.Id, "glm", "agent");

            var jobId = (await harness.Files.DeleteAsync(file.Id))!.Value;

            // The poll interval is long: the worker is woken by the job landing.
            await Eventually.TrueAsync(
                async () => (await harness.Files.GetDeletionJobAsync(jobId))?.Status == FileDeletionStatus.Completed,
                TimeSpan.FromSeconds(30),
                "the worker completing the job");
            _apis.Glm.Files.Should().NotContainKey(upload.ProviderFileId);
        }
        finally
        {
            foreach (var service in hosted)
            {
                await service.StopAsync(default);
            }
        }
    }

    // PostgreSQL keeps microseconds: a clock on a whole millisecond round-trips exactly.
    private static FakeTimeProvider NewClock() =>
        new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    private static async Task<int> DrainAsync(FilesHarness harness)
    {
        var total = 0;
        int claimed;
        while ((claimed = await harness.Runner.RunOnceAsync(default)) > 0)
        {
            total += claimed;
        }

        return total;
    }

    private static Task<StoredFile> StoreAsync(FilesHarness harness, string? text = null) =>
        harness.Files.StoreAsync(new FileRegistration { StoragePath = $"{Guid.NewGuid():N}/doc.txt", MimeType = "text/plain" }, FilesHarness.Content(text ?? $"content {Guid.NewGuid()}"));
}

using System.Diagnostics;
using System.Text;
using Exai.Supabase.Files;
using Exai.Supabase.Outbox;

namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>
/// A file stored in a bucket, uploaded to Moonshot (a local stand-in of its files API), then deleted through the
/// deletion queue: the worker removes the provider's copy, the storage object and the records.
/// </summary>
internal static class FileStep
{
    public const string Name = "File synced and deleted";

    public static async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var files = context.Get<IFileSync>();
        var path = $"demo/{context.RunId}/notes.md";
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("# Parser notes\nAn empty file makes the lexer wait for ever.\n"));
        var file = await files.StoreAsync(new FileRegistration { StoragePath = path, OriginalName = "notes.md", MimeType = "text/markdown" }, content, cancellationToken: cancellationToken);
        var upload = await files.UploadAsync(file.Id, "kimi", "file-extract", cancellationToken);
        DemoContext.Check(context.FileApis.Kimi.Files.ContainsKey(upload.ProviderFileId), $"the provider has no file {upload.ProviderFileId}");
        DemoContext.Check(context.FileApis.Storage.Has(file.Bucket, path), $"the bucket {file.Bucket} has no object {path}");
        await context.Get<IExaiOutbox>().FlushAsync(cancellationToken);

        var started = Stopwatch.GetTimestamp();
        var job = await files.DeleteAsync(file.Id, "demo clean-up", cancellationToken)
            ?? throw new StepFailedException($"deleting file {file.Id} queued no job");
        FileDeletionJob? done = null;
        await DemoContext.WaitUntilAsync(
            async () => (done = await files.GetDeletionJobAsync(job, cancellationToken)) is { Status: FileDeletionStatus.Completed or FileDeletionStatus.Failed },
            TimeSpan.FromSeconds(15),
            $"deletion job {job} finishing",
            cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        DemoContext.Check(done!.Status == FileDeletionStatus.Completed, $"deletion job {job} failed: {done.LastError}");
        DemoContext.Check(!context.FileApis.Kimi.Files.ContainsKey(upload.ProviderFileId), $"the provider still has {upload.ProviderFileId}");
        DemoContext.Check(!context.FileApis.Storage.Has(file.Bucket, path), $"the storage object {file.Bucket}/{path} is still there");
        DemoContext.Check(await files.GetFileAsync(file.Id, cancellationToken) is null, $"file {file.Id} is still recorded");

        return $"{file.Bucket}/{path} uploaded to kimi as {upload.ProviderFileId}; deletion job done in {elapsed.TotalMilliseconds:0} ms " +
               "(provider copy, storage object and records gone)";
    }
}

using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Runs <see cref="FileDeletionRunner"/> in the background once the schema is in place: straight on while jobs keep
/// coming, else every <see cref="FileDeletionOptions.PollInterval"/> (on the injected clock) or as soon as this
/// process queued a job. Any number of instances may run it against one database.
/// </summary>
internal sealed class FileDeletionWorker(
    FileDeletionRunner runner,
    FileDeletionSignal signal,
    SchemaReadiness readiness,
    IOptions<ExaiSupabaseOptions> options,
    TimeProvider time,
    ILogger<FileDeletionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Files.Deletion;
        if (!settings.WorkerEnabled)
        {
            return;
        }

        try
        {
            await readiness.WhenReadyAsync(stoppingToken).ConfigureAwait(false);
            var unavailable = false;
            while (!stoppingToken.IsCancellationRequested)
            {
                var claimed = 0;
                try
                {
                    claimed = await runner.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                    unavailable = false;
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && PostgresErrors.Classify(ex) is ErrorDisposition.Transient or ErrorDisposition.SchemaNotReady)
                {
                    if (!unavailable)
                    {
                        FilesLog.WorkerUnavailable(logger, PostgresErrors.Describe(ex), settings.PollInterval);
                        unavailable = true;
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    FilesLog.WorkerFailed(logger, ex, settings.PollInterval);
                }

                if (claimed < settings.Concurrency)
                {
                    await signal.WaitAsync(settings.PollInterval, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}

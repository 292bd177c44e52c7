using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// Deletes expired threads (their turns and file links cascade) every <see cref="ConversationOptions.CleanupInterval"/>
/// of the injected <see cref="TimeProvider"/>, in transactions of <see cref="ConversationOptions.CleanupBatchSize"/>
/// threads claimed with <c>FOR UPDATE SKIP LOCKED</c>: locks stay short and several instances never wait on or
/// delete each other's batch. Runs as the connecting role (expiry is a service concern, not a user's).
/// </summary>
internal sealed class ConversationCleanupService(
    ExaiDataSources dataSources,
    SchemaReadiness readiness,
    TimeProvider time,
    IOptions<ExaiSupabaseOptions> options,
    ILogger<ConversationCleanupService> logger) : IHostedService, IAsyncDisposable
{
    // One run stops after this many batches and continues at the next interval, so a backlog never holds the loop.
    private const int MaxBatchesPerRun = 1_000;

    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Conversations;
        if (settings.EnableCleanup)
        {
            _loop = Task.Run(() => LoopAsync(settings, _stop.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Deletes every thread expired at the clock's now, batch by batch; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Conversations;
        var now = time.GetUtcNow();
        var total = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var deleted = await DeleteBatchAsync(now, settings.CleanupBatchSize, cancellationToken).ConfigureAwait(false);
            total += deleted;
            if (deleted < settings.CleanupBatchSize)
            {
                break;
            }
        }

        if (total > 0)
        {
            ConversationsLog.CleanedUp(logger, total);
        }

        return total;
    }

    /// <summary>Stops the loop; safe to call twice (the container disposes it as itself and as a hosted service).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task LoopAsync(ConversationOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            await readiness.WhenReadyAsync(cancellationToken).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(settings.CleanupInterval, time, cancellationToken).ConfigureAwait(false);
                try
                {
                    await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ConversationsLog.CleanupFailed(logger, PostgresErrors.Describe(ex), settings.CleanupInterval);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<int> DeleteBatchAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        var connection = await dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(ConversationSql.DeleteExpired, connection);
            command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
            command.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Integer) { Value = batchSize });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}

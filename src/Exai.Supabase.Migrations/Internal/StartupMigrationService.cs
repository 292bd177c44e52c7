using Exai.Supabase.Migrations.Adoption;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Migrations.Internal;

/// <summary>
/// Applies pending migrations when the host starts. With <see cref="ExaiMigrationOptions.FailFast"/> a failure stops
/// the host; otherwise an unreachable database leaves the host running degraded while a background loop retries
/// with backoff, and queued writes are held (<see cref="SchemaReadiness"/>) until the schema is there.
/// </summary>
internal sealed class StartupMigrationService : IHostedService, IDisposable
{
    private readonly ExaiMigrator _migrator;
    private readonly SchemaReadiness _readiness;
    private readonly ExaiMigrationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _background;

    public StartupMigrationService(
        ExaiMigrator migrator,
        SchemaReadiness readiness,
        IOptions<ExaiMigrationOptions> options,
        TimeProvider time,
        ILogger<StartupMigrationService> logger)
    {
        _migrator = migrator;
        _readiness = readiness;
        _options = options.Value;
        _time = time;
        _logger = logger;
        if (_options.ApplyAtStartup)
        {
            _readiness.ExpectMigration();
        }
    }

    /// <summary>Completes when the migrations are applied (or not wanted); for tests and health checks.</summary>
    public Task Completion => _readiness.WhenReadyAsync(CancellationToken.None);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.ApplyAtStartup)
        {
            MigrationsLog.Disabled(_logger);
            return;
        }

        if (_options.FailFast)
        {
            await MigrateOrAdoptAsync(cancellationToken).ConfigureAwait(false);
            _readiness.MarkReady();
            return;
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_options.StartupAttemptTimeout);
        try
        {
            await MigrateOrAdoptAsync(attempt.Token).ConfigureAwait(false);
            _readiness.MarkReady();
            return;
        }
        catch (Exception ex) when (IsWorthWaitingFor(ex, cancellationToken))
        {
            MigrationsLog.Unreachable(_logger, PostgresErrors.Describe(ex), _options.RetryInterval);
        }

        _background = Task.Run(() => RetryUntilMigratedAsync(_stopping.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_background is not null)
        {
            await _background.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose() => _stopping.Dispose();

    private static bool IsWorthWaitingFor(Exception exception, CancellationToken hostToken) =>
        !hostToken.IsCancellationRequested
        && (exception is OperationCanceledException || PostgresErrors.IsTransient(exception));

    private async Task RetryUntilMigratedAsync(CancellationToken cancellationToken)
    {
        var delay = _options.RetryInterval;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Jitter(delay), _time, cancellationToken).ConfigureAwait(false);
                await MigrateOrAdoptAsync(cancellationToken).ConfigureAwait(false);
                _readiness.MarkReady();
                MigrationsLog.Recovered(_logger);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryInterval.Ticks));
                if (PostgresErrors.IsTransient(ex))
                {
                    MigrationsLog.Unreachable(_logger, PostgresErrors.Describe(ex), delay);
                }
                else
                {
                    // Not an outage (a refused password, a foreign schema): keep trying slowly so a fix is picked up.
                    MigrationsLog.Failed(_logger, PostgresErrors.Describe(ex), delay);
                }
            }
        }
    }

    /// <summary>Adoption (which also applies the migrations) only when the options ask for it; plain migrations refuse a legacy database.</summary>
    private Task MigrateOrAdoptAsync(CancellationToken cancellationToken) =>
        _options.AdoptLegacy
            ? _migrator.AdoptLegacyAsync(new AdoptionOptions { DropBackup = _options.DropLegacyBackup }, cancellationToken)
            : _migrator.MigrateAsync(cancellationToken);

    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.8 + (Random.Shared.NextDouble() * 0.4))));
}

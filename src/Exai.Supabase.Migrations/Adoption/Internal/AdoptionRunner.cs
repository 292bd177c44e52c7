using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// Runs adoption on a connection that holds the migrator's advisory lock: for real (each step in its own
/// transaction, journaled, resumable) or as a rehearsal (every step in one transaction that is rolled back).
/// </summary>
internal sealed class AdoptionRunner
{
    private readonly NpgsqlConnection _connection;
    private readonly ILogger _logger;

    public AdoptionRunner(NpgsqlConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
    }

    /// <summary>
    /// Runs the whole adoption in one transaction and rolls it back: the copy's counts and findings, and proof that
    /// the real run's statements and checks pass, without changing anything.
    /// </summary>
    /// <param name="facts">What the catalog said.</param>
    /// <param name="migrationScript">The idempotent migration SQL without transaction statements, when migrations are pending.</param>
    /// <param name="cancellationToken">Cancels the rehearsal.</param>
    public async Task<(List<AdoptionMove> Moves, List<AdoptionFinding> Findings)> RehearseAsync(
        AdoptionFacts facts, string? migrationScript, CancellationToken cancellationToken)
    {
        var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            try
            {
                await BackupStep.RunAsync(_connection, transaction, facts, _logger, cancellationToken).ConfigureAwait(false);
                if (migrationScript is not null)
                {
                    using var command = Sql.Command(migrationScript, _connection, transaction);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var legacy = BackupShapes(facts);
                var targets = new HashSet<string>(StringComparer.Ordinal);
                foreach (var group in Groups(facts, legacy))
                {
                    await CopyStep.RunAsync(_connection, transaction, group, cancellationToken).ConfigureAwait(false);
                    targets.Add(group.Target);
                }

                var moves = await AdoptionResults.MovesAsync(_connection, transaction, legacy, targets, cancellationToken).ConfigureAwait(false);
                var findings = await AdoptionResults.FindingsAsync(_connection, transaction, targets, cancellationToken).ConfigureAwait(false);
                AdoptionLog.Rehearsed(_logger, moves.Sum(m => m.TargetRows), findings.Count);
                return (moves, findings);
            }
            finally
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Moves the legacy tables aside, applies the migrations, copies every table not copied yet.</summary>
    /// <param name="facts">What the catalog said.</param>
    /// <param name="migrate">Applies the pending migrations (EF Core's migrator), returning their ids.</param>
    /// <param name="cancellationToken">Cancels between and within steps; a cancelled step rolls back.</param>
    public async Task<(IReadOnlyList<string> Applied, List<AdoptionMove> Copied, List<AdoptionFinding> Findings)> RunAsync(
        AdoptionFacts facts, Func<CancellationToken, Task<IReadOnlyList<string>>> migrate, CancellationToken cancellationToken)
    {
        AdoptionLog.Adopting(_logger, facts.Legacy.Count, facts.Legacy.Values.Sum(t => t.Rows));
        await InTransactionAsync(t => BackupStep.RunAsync(_connection, t, facts, _logger, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (facts.ToMove.Count > 0)
        {
            AdoptionLog.MovedToBackup(_logger, facts.ToMove.Count, facts.Views.Count, LegacyNames.BackupSchema);
        }

        var applied = await migrate(cancellationToken).ConfigureAwait(false);

        var legacy = BackupShapes(facts);
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in Groups(facts, legacy))
        {
            var rows = await InTransactionAsync(t => CopyStep.RunAsync(_connection, t, group, cancellationToken), cancellationToken).ConfigureAwait(false);
            AdoptionLog.Copied(_logger, rows, group.Target, string.Join(", ", group.Sources));
            targets.Add(group.Target);
        }

        await InTransactionAsync(
            t => Journal.WriteAsync(_connection, t, Journal.Complete, LegacyNames.BackupSchema, legacy.Values.Sum(s => s.Rows),
                JsonSerializer.Serialize(new { tables = legacy.Keys.Order(StringComparer.Ordinal) }), cancellationToken),
            cancellationToken).ConfigureAwait(false);
        AdoptionLog.Complete(_logger, LegacyNames.BackupSchema);

        var copied = await AdoptionResults.MovesAsync(_connection, null, legacy, targets, cancellationToken).ConfigureAwait(false);
        var findings = await AdoptionResults.FindingsAsync(_connection, null, targets, cancellationToken).ConfigureAwait(false);
        return (applied, copied, findings);
    }

    /// <summary>Drops the backup schema, with the journal and whatever depends on it.</summary>
    public async Task DropBackupAsync(CancellationToken cancellationToken)
    {
        await InTransactionAsync(
            async t =>
            {
                using var command = Sql.Command($"DROP SCHEMA IF EXISTS {Sql.Ident(LegacyNames.BackupSchema)} CASCADE", _connection, t);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        AdoptionLog.BackupDropped(_logger, LegacyNames.BackupSchema);
    }

    private IEnumerable<CopyGroup> Groups(AdoptionFacts facts, IReadOnlyDictionary<string, LegacyTableShape> legacy)
    {
        foreach (var (target, _) in Consolidation.Order)
        {
            if (facts.Copied.Contains(target))
            {
                AdoptionLog.AlreadyCopied(_logger, target);
                continue;
            }

            if (Consolidation.Build(target, legacy) is { } group)
            {
                yield return group;
            }
        }
    }

    /// <summary>The legacy tables as they are once moved: same columns and key, in the backup schema.</summary>
    private static Dictionary<string, LegacyTableShape> BackupShapes(AdoptionFacts facts) =>
        facts.Legacy.Values.ToDictionary(
            t => t.Name,
            t => t.Schema == LegacyNames.BackupSchema ? t : new LegacyTableShape(LegacyNames.BackupSchema, t.Name, t.Columns, t.Key, t.Rows),
            StringComparer.Ordinal);

    private async Task InTransactionAsync(Func<NpgsqlTransaction, Task> work, CancellationToken cancellationToken) =>
        await InTransactionAsync(
            async t =>
            {
                await work(t).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    private async Task<T> InTransactionAsync<T>(Func<NpgsqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        var transaction = await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var result = await work(transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
    }
}

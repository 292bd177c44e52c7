using System.Text;
using Exai.Supabase.Persistence.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// Lands one batch in one transaction: consecutive records of the same scope form a run; within a run, kinds land
/// parents first, each staged by binary COPY into a temporary table (<c>ON COMMIT DROP</c>, so nothing outlives the
/// transaction — safe through Supabase's transaction pooler) and moved into place by one statement.
/// </summary>
internal sealed class BatchLander(ExaiDataSources dataSources, RecordKindRegistry kinds, string instance)
{
    /// <summary>Lands the records; returns those whose parent row is not there yet. Throws what PostgreSQL throws.</summary>
    public async Task<IReadOnlyList<OutboxRecord>> LandAsync(IReadOnlyList<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        var waiting = new List<OutboxRecord>();
        var connection = await dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var context = new LandingContext(connection, transaction);
                var run = 0;
                foreach (var records in Runs(batch))
                {
                    context.Run = run++;
                    var scope = records[0];
                    foreach (var group in records.GroupBy(r => r.KindName).Select(g => (Kind: kinds[g.Key], Records: g.ToList())).OrderBy(g => g.Kind.Order))
                    {
                        context.FirstAttempt = BeginAttempt(group.Records);
                        if (scope.ScopeUserId is null && context.FirstAttempt
                            && await group.Kind.TryLandFirstAttemptAsync(context, group.Records, cancellationToken).ConfigureAwait(false))
                        {
                            continue;
                        }

                        waiting.AddRange(await group.Kind.StageAsync(context, group.Records, cancellationToken).ConfigureAwait(false));
                        if (scope.ScopeUserId is null)
                        {
                            await group.Kind.LandAsync(context, cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        await context.BecomeUserAsync(scope.ScopeClaims!, context.StagingTable(group.Kind), cancellationToken).ConfigureAwait(false);
                        await group.Kind.LandAsync(context, cancellationToken).ConfigureAwait(false);
                        await context.BecomeServiceAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return waiting;
    }

    /// <summary>Keeps a record PostgreSQL refused, with the reason, in <c>outbox_dead_letters</c> (as the service).</summary>
    public async Task DeadLetterAsync(OutboxRecord record, string? sqlState, string reason, CancellationToken cancellationToken)
    {
        var kind = kinds[record.KindName];
        var payload = Encoding.UTF8.GetString(kind.Serialize(record));
        var connection = await dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(
                $"""
                INSERT INTO {TableNames.Schema}.{TableNames.OutboxDeadLetters} (id, kind, payload, user_id, sql_state, reason, recorded_at, instance)
                VALUES (@id, @kind, @payload, @user, @state, @reason, @recorded, @instance)
                ON CONFLICT (id) DO NOTHING
                """,
                connection);
            command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = record.Id });
            command.Parameters.Add(new NpgsqlParameter("kind", NpgsqlDbType.Text) { Value = record.KindName });
            command.Parameters.Add(new NpgsqlParameter("payload", NpgsqlDbType.Jsonb) { Value = payload });
            command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Uuid) { Value = (object?)record.ScopeUserId ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("state", NpgsqlDbType.Text) { Value = (object?)sqlState ?? DBNull.Value });
            command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = reason });
            command.Parameters.Add(new NpgsqlParameter("recorded", NpgsqlDbType.TimestampTz) { Value = record.RecordedAt });
            command.Parameters.Add(new NpgsqlParameter("instance", NpgsqlDbType.Text) { Value = instance });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Marks every record as tried; true when each was on its first attempt.</summary>
    private static bool BeginAttempt(List<OutboxRecord> records)
    {
        var first = true;
        foreach (var record in records)
        {
            first &= record.BeginAttempt();
        }

        return first;
    }

    /// <summary>Splits the batch into runs of consecutive records of one scope, keeping the recorded order.</summary>
    private static IEnumerable<List<OutboxRecord>> Runs(IReadOnlyList<OutboxRecord> batch)
    {
        var run = new List<OutboxRecord>();
        foreach (var record in batch)
        {
            if (run.Count > 0 && run[0].ScopeUserId != record.ScopeUserId)
            {
                yield return run;
                run = [];
            }

            run.Add(record);
        }

        if (run.Count > 0)
        {
            yield return run;
        }
    }
}

using Exai.Supabase.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Persistence.Internal;

/// <summary>
/// Runs the library's reads and writes in the current <see cref="ExaiScope"/>. The service scope uses the connecting
/// role as is. A user scope wraps the work in a transaction that first sets <c>request.jwt.claims</c> and the role
/// <c>authenticated</c> with <c>set_config(…, true)</c>: both end with the transaction, so nothing leaks to the next
/// user of a pooled connection, and it works through Supabase's transaction pooler.
/// </summary>
internal sealed class ScopedDb(IDbContextFactory<ExaiDbContext> contexts, ExaiDataSources dataSources)
{
    private const string BecomeUser =
        "SELECT set_config('request.jwt.claims', @claims, true), set_config('role', 'authenticated', true)";

    /// <summary>Runs EF Core work in the current scope.</summary>
    public async Task<T> RunAsync<T>(Func<ExaiDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var scope = ExaiScope.Current;
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            if (scope.IsService)
            {
                return await work(context, cancellationToken).ConfigureAwait(false);
            }

            var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await context.Database.ExecuteSqlRawAsync(BecomeUser, [new NpgsqlParameter("claims", NpgsqlDbType.Text) { Value = scope.ClaimsJson }], cancellationToken).ConfigureAwait(false);
                var result = await work(context, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }

    /// <summary>Runs Npgsql work in the current scope, inside a transaction (always, so the work may rely on one).</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var scope = ExaiScope.Current;
        var connection = await dataSources.Pooled.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (!scope.IsService)
                {
                    using var become = new NpgsqlCommand(BecomeUser, connection, transaction);
                    become.Parameters.Add(new NpgsqlParameter("claims", NpgsqlDbType.Text) { Value = scope.ClaimsJson });
                    await become.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }
}

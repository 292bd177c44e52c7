using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>The connection and transaction one batch lands in, and the run (scope) being landed.</summary>
internal sealed class LandingContext(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    public NpgsqlConnection Connection { get; } = connection;

    public NpgsqlTransaction Transaction { get; } = transaction;

    /// <summary>The index of the current run of same-scope records inside the batch.</summary>
    public int Run { get; set; }

    /// <summary>
    /// Whether every record of the kind being landed is on its first attempt (<see cref="OutboxRecord.BeginAttempt"/>),
    /// so its rows cannot be in the database yet.
    /// </summary>
    public bool FirstAttempt { get; set; }

    public string StagingTable(RecordKind kind) => $"exai_stage_{Run}_{kind.Name}";

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        using var command = new NpgsqlCommand(sql, Connection, Transaction);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<HashSet<Guid>> ReadIdsAsync(string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, Connection, Transaction);
        var ids = new HashSet<Guid>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetGuid(0));
            }
        }

        return ids;
    }

    /// <summary>Whether row-level security applies to the session's own role on <paramref name="table"/> now.</summary>
    public async Task<bool> RowSecurityActiveAsync(string table, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand("SELECT row_security_active(@table::regclass)", Connection, Transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("table", NpgsqlDbType.Text) { TypedValue = table });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Acts as Supabase's <c>authenticated</c> role with the user's claims, for this transaction only.</summary>
    public Task BecomeUserAsync(string claimsJson, string stagingTable, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"GRANT SELECT ON {stagingTable} TO authenticated; SELECT set_config('request.jwt.claims', @claims, true), set_config('role', 'authenticated', true)",
            cancellationToken,
            new NpgsqlParameter("claims", NpgsqlDbType.Text) { Value = claimsJson });

    /// <summary>Returns to the session's own role and clears the claims.</summary>
    public Task BecomeServiceAsync(CancellationToken cancellationToken) =>
        ExecuteAsync("SELECT set_config('role', 'none', true), set_config('request.jwt.claims', '', true)", cancellationToken);
}

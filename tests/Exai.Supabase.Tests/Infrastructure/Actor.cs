using System.Text.Json;
using Npgsql;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>
/// Someone querying the database the way Supabase's API does: inside a transaction, with the JWT claims in
/// <c>request.jwt.claims</c> and the role switched with <c>set_config('role', …, true)</c> (PostgREST's own way),
/// so row-level security and grants apply as they would to that caller.
/// </summary>
internal sealed record Actor(string Role, Guid? User)
{
    public static Actor Anon { get; } = new(FixedSchema.Anon, null);

    public static Actor Service { get; } = new(FixedSchema.ServiceRole, null);

    public static Actor AuthenticatedWithoutClaims { get; } = new(FixedSchema.Authenticated, null);

    public static Actor Authenticated(Guid user) => new(FixedSchema.Authenticated, user);

    /// <summary>Runs one statement and commits; returns the rows it affected.</summary>
    public Task<int> ExecuteAsync(NpgsqlDataSource db, string sql, params (string Name, object Value)[] parameters) =>
        InTransactionAsync(db, commit: true, async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteNonQueryAsync();
        });

    /// <summary>Runs a query and returns its first column.</summary>
    public Task<List<T>> QueryAsync<T>(NpgsqlDataSource db, string sql, params (string Name, object Value)[] parameters) =>
        InTransactionAsync(db, commit: false, async connection =>
        {
            await using var command = Command(connection, sql, parameters);
            await using var reader = await command.ExecuteReaderAsync();
            var values = new List<T>();
            while (await reader.ReadAsync())
            {
                values.Add(reader.GetFieldValue<T>(0));
            }

            return values;
        });

    /// <summary>Runs work as this actor inside one transaction, committed or rolled back at the end.</summary>
    public async Task<T> InTransactionAsync<T>(NpgsqlDataSource db, bool commit, Func<NpgsqlConnection, Task<T>> work)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var claims = User is { } user
            ? JsonSerializer.Serialize(new { sub = user, role = Role })
            : JsonSerializer.Serialize(new { role = Role });
        await using (var become = Command(connection, "SELECT set_config('request.jwt.claims', @claims, true), set_config('role', @role, true)",
                         ("claims", claims), ("role", Role)))
        {
            await become.ExecuteNonQueryAsync();
        }

        var result = await work(connection);
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }

        return result;
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    public override string ToString() => User is { } user ? $"{Role} {user}" : Role;
}

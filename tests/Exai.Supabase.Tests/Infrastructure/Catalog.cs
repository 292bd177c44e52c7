using Npgsql;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>Reads what a migration left in the catalog, the way a DBA would check it.</summary>
internal static class Catalog
{
    public sealed record ForeignKey(string Name, string Table, string Column, string References, char OnDelete);

    public sealed record Index(string Table, string Name, IReadOnlyList<string> Columns, bool Unique, string? Predicate, string Method);

    public sealed record Policy(string Table, string Name, string Command, IReadOnlyList<string> Roles, string? Using, string? Check);

    public static async Task<List<string>> TablesAsync(NpgsqlDataSource db, string schema = "public") =>
        await ListAsync(db, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = @s AND table_type = 'BASE TABLE' ORDER BY 1",
            r => r.GetString(0), ("s", schema));

    public static async Task<List<ForeignKey>> ForeignKeysAsync(NpgsqlDataSource db) =>
        await ListAsync(db, """
            SELECT con.conname::text, cl.relname::text, a.attname::text, ref.relname::text, con.confdeltype::text
            FROM pg_constraint con
            JOIN pg_class cl ON cl.oid = con.conrelid
            JOIN pg_class ref ON ref.oid = con.confrelid
            JOIN pg_namespace n ON n.oid = cl.relnamespace
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
            WHERE con.contype = 'f' AND n.nspname = 'public'
            """,
            r => new ForeignKey(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)[0]));

    public static async Task<List<Index>> IndexesAsync(NpgsqlDataSource db) =>
        await ListAsync(db, """
            SELECT t.relname::text, i.relname::text,
                   ARRAY(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord),
                   ix.indisunique, pg_get_expr(ix.indpred, ix.indrelid), am.amname::text
            FROM pg_index ix
            JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_am am ON am.oid = i.relam
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public'
            """,
            r => new Index(r.GetString(0), r.GetString(1), r.GetFieldValue<string[]>(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetString(5)));

    public static async Task<List<(string Table, string Name, string Definition)>> ChecksAsync(NpgsqlDataSource db) =>
        await ListAsync(db, """
            SELECT cl.relname::text, con.conname::text, pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
            WHERE con.contype = 'c' AND n.nspname = 'public'
            """,
            r => (r.GetString(0), r.GetString(1), r.GetString(2)));

    public static async Task<List<string>> RowLevelSecurityTablesAsync(NpgsqlDataSource db) =>
        await ListAsync(db, """
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity
            """,
            r => r.GetString(0));

    public static async Task<List<Policy>> PoliciesAsync(NpgsqlDataSource db) =>
        await ListAsync(db, "SELECT tablename::text, policyname::text, cmd::text, roles::text[], qual, with_check FROM pg_policies WHERE schemaname = 'public'",
            r => new Policy(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<string[]>(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));

    public static async Task<List<string>> PublicationTablesAsync(NpgsqlDataSource db, string publication = "supabase_realtime") =>
        await ListAsync(db, "SELECT tablename::text FROM pg_publication_tables WHERE pubname = @p AND schemaname = 'public' ORDER BY 1",
            r => r.GetString(0), ("p", publication));

    public static async Task<List<string>> TablePrivilegesAsync(NpgsqlDataSource db, string table, string role) =>
        await ListAsync(db, "SELECT privilege_type::text FROM information_schema.role_table_grants WHERE table_schema = 'public' AND table_name = @t AND grantee = @r ORDER BY 1",
            r => r.GetString(0), ("t", table), ("r", role));

    public sealed record Column(string Table, string Name, string Type, bool NotNull, string? Default, bool Generated);

    public sealed record IndexKeys(string Table, string Name, IReadOnlyList<string> Keys, bool Unique, string? Predicate);

    public static async Task<List<Column>> ColumnsAsync(NpgsqlDataSource db) =>
        await ListAsync(db, """
            SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid), a.attgenerated <> ''
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.attgenerated = ''
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum
            """,
            r => new Column(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4), r.GetBoolean(5)));

    /// <summary>Index keys in order, each with " DESC" when it sorts descending.</summary>
    public static async Task<List<IndexKeys>> IndexKeysAsync(NpgsqlDataSource db) =>
        await ListAsync(db, """
            SELECT t.relname::text, i.relname::text,
                   ARRAY(SELECT a.attname::text || CASE WHEN (ix.indoption[k.ord - 1] & 1) = 1 THEN ' DESC' ELSE '' END
                         FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                         WHERE k.ord <= ix.indnkeyatts ORDER BY k.ord),
                   ix.indisunique, pg_get_expr(ix.indpred, ix.indrelid)
            FROM pg_index ix
            JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public'
            """,
            r => new IndexKeys(r.GetString(0), r.GetString(1), r.GetFieldValue<string[]>(2), r.GetBoolean(3), r.IsDBNull(4) ? null : r.GetString(4)));

    /// <summary>
    /// The privileges granted on a table to a role (<c>PUBLIC</c> for everyone), read from the table's ACL itself:
    /// independent of who asks, unlike information_schema.
    /// </summary>
    public static async Task<List<string>> GrantedPrivilegesAsync(NpgsqlDataSource db, string table, string role) =>
        await ListAsync(db, """
            SELECT DISTINCT a.privilege_type::text
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
            WHERE n.nspname = 'public' AND c.relname = @t
              AND a.grantee = CASE WHEN @r = 'PUBLIC' THEN 0 ELSE (SELECT oid FROM pg_roles WHERE rolname = @r) END
            ORDER BY 1
            """,
            r => r.GetString(0), ("t", table), ("r", role));

    public static async Task<Dictionary<string, char>> ReplicaIdentitiesAsync(NpgsqlDataSource db) =>
        (await ListAsync(db, """
            SELECT c.relname::text, c.relreplident::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            """,
            r => (Table: r.GetString(0), Identity: r.GetString(1)[0]))).ToDictionary(x => x.Table, x => x.Identity);

    public static async Task<bool> PublicationIsForAllTablesAsync(NpgsqlDataSource db, string publication = "supabase_realtime") =>
        (await ListAsync(db, "SELECT puballtables FROM pg_publication WHERE pubname = @p", r => r.GetBoolean(0), ("p", publication))).Single();

    private static async Task<List<T>> ListAsync<T>(NpgsqlDataSource db, string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var list = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(read(reader));
        }

        return list;
    }
}

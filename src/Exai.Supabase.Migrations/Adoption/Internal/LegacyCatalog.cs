using Npgsql;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>Reads what adoption needs from the live catalog: tables, columns, keys, counts and dependent objects.</summary>
internal static class LegacyCatalog
{
    /// <summary>The base tables of a schema, by name.</summary>
    public static Task<List<string>> TablesAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken) =>
        ListAsync(connection, transaction,
            """
            SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') ORDER BY 1
            """,
            r => r.GetString(0), cancellationToken, ("schema", schema));

    /// <summary>Reads a table's columns, key and exact row count.</summary>
    public static async Task<LegacyTableShape> ShapeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, string table, CancellationToken cancellationToken)
    {
        var columns = await ListAsync(connection, transaction,
            """
            SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), t.typname::text, t.typtype::text, t.typcategory::text,
                   coalesce(et.typname::text, '')
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
            WHERE n.nspname = @schema AND c.relname = @table AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            r => new LegacyColumn(r.GetString(0), r.GetString(1), Classify(r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5))),
            cancellationToken, ("schema", schema), ("table", table)).ConfigureAwait(false);

        var key = await ListAsync(connection, transaction,
            """
            SELECT a.attname::text
            FROM pg_catalog.pg_constraint con
            JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE n.nspname = @schema AND c.relname = @table AND con.contype = 'p'
            ORDER BY k.ord
            """,
            r => r.GetString(0), cancellationToken, ("schema", schema), ("table", table)).ConfigureAwait(false);

        var rows = await ScalarAsync<long>(connection, transaction, $"SELECT count(*) FROM {Sql.Qualified(schema, table)}", cancellationToken).ConfigureAwait(false);

        if (key.Count == 0)
        {
            // A table made by hand may lack a primary key but still have an id column that is unique and set.
            foreach (var candidate in new[] { "id", "issue_id", "uuid" })
            {
                if (columns.All(c => c.Name != candidate))
                {
                    continue;
                }

                var ident = Sql.Ident(candidate);
                var unique = await ScalarAsync<bool>(connection, transaction,
                    $"SELECT count({ident}) = count(*) AND count(DISTINCT {ident}::text) = count(*) FROM {Sql.Qualified(schema, table)}",
                    cancellationToken).ConfigureAwait(false);
                if (unique)
                {
                    key = [candidate];
                    break;
                }
            }
        }

        return new LegacyTableShape(schema, table, columns, key, rows);
    }

    /// <summary>Views and materialized views of <paramref name="schema"/> that depend (directly or through other views) on the tables.</summary>
    public static Task<List<(string Name, char Kind)>> DependentViewsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, IReadOnlyList<string> tables, CancellationToken cancellationToken) =>
        ListAsync(connection, transaction,
            """
            WITH RECURSIVE deps(oid) AS (
                SELECT DISTINCT r.ev_class
                FROM pg_catalog.pg_depend d
                JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid AND d.classid = 'pg_catalog.pg_rewrite'::regclass
                JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
                JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
                WHERE tn.nspname = @schema AND t.relname = ANY(@tables) AND r.ev_class <> d.refobjid
                UNION
                SELECT r.ev_class
                FROM deps
                JOIN pg_catalog.pg_depend d ON d.refobjid = deps.oid AND d.classid = 'pg_catalog.pg_rewrite'::regclass
                JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
                WHERE r.ev_class <> deps.oid
            )
            SELECT v.relname::text, v.relkind::text
            FROM deps JOIN pg_catalog.pg_class v ON v.oid = deps.oid JOIN pg_catalog.pg_namespace n ON n.oid = v.relnamespace
            WHERE n.nspname = @schema AND v.relkind IN ('v', 'm')
            ORDER BY 1
            """,
            r => (r.GetString(0), r.GetString(1)[0]), cancellationToken, ("schema", schema), ("tables", tables.ToArray()));

    /// <summary>Foreign keys of tables outside <paramref name="schema"/>'s given tables that point into them.</summary>
    public static Task<List<string>> IncomingForeignKeysAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, IReadOnlyList<string> tables, CancellationToken cancellationToken) =>
        ListAsync(connection, transaction,
            """
            SELECT format('%s.%s (%s) -> %s', sn.nspname, s.relname, con.conname, t.relname)
            FROM pg_catalog.pg_constraint con
            JOIN pg_catalog.pg_class s ON s.oid = con.conrelid JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
            JOIN pg_catalog.pg_class t ON t.oid = con.confrelid JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
            WHERE con.contype = 'f' AND tn.nspname = @schema AND t.relname = ANY(@tables)
              AND NOT (sn.nspname = @schema AND s.relname = ANY(@tables))
            ORDER BY 1
            """,
            r => r.GetString(0), cancellationToken, ("schema", schema), ("tables", tables.ToArray()));

    /// <summary>Relations and types of <paramref name="schema"/> named like objects the migrations create, with what they are and which table they belong to.</summary>
    public static Task<List<(string Name, char Kind, string? Table)>> NamedObjectsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        ListAsync(connection, transaction,
            """
            SELECT c.relname::text, c.relkind::text, coalesce(it.relname, c.relname)::text
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
            LEFT JOIN pg_catalog.pg_class it ON it.oid = i.indrelid
            WHERE n.nspname = @schema AND c.relname = ANY(@names)
            UNION ALL
            SELECT t.typname::text, 'T', NULL
            FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = @schema AND t.typname = ANY(@names) AND t.typrelid = 0
            ORDER BY 1
            """,
            r => (r.GetString(0), r.GetString(1)[0], r.IsDBNull(2) ? null : r.GetString(2)), cancellationToken, ("schema", schema), ("names", names.ToArray()));

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        using var command = Sql.Command(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public static async Task<List<T>> ListAsync<T>(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        using var command = Sql.Command(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var list = new List<T>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(read(reader));
            }
        }

        return list;
    }

    private static ColumnKind Classify(string typeName, string typeType, string category, string elementName)
    {
        if (typeType == "e")
        {
            return ColumnKind.Enum;
        }

        if (category == "A")
        {
            return elementName is "text" or "varchar" or "bpchar" or "name" or "citext" ? ColumnKind.TextArray : ColumnKind.OtherArray;
        }

        return typeName switch
        {
            "text" or "varchar" or "bpchar" or "name" or "citext" => ColumnKind.Text,
            "uuid" => ColumnKind.Uuid,
            "timestamptz" => ColumnKind.TimestampTz,
            "timestamp" => ColumnKind.Timestamp,
            "date" => ColumnKind.Date,
            "int2" or "int4" => ColumnKind.Integer,
            "int8" => ColumnKind.BigInt,
            "numeric" or "float4" or "float8" => ColumnKind.Numeric,
            "bool" => ColumnKind.Boolean,
            "json" => ColumnKind.Json,
            "jsonb" => ColumnKind.Jsonb,
            _ => category == "S" ? ColumnKind.Text : ColumnKind.Other,
        };
    }
}

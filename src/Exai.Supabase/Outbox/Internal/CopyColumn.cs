using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>One column of a kind's staging table: its name, type and how a record fills it in a binary COPY.</summary>
internal abstract class CopyColumn<TRecord>(string name, NpgsqlDbType type)
{
    public string Name { get; } = name;

    public NpgsqlDbType Type { get; } = type;

    public string SqlType => Type switch
    {
        NpgsqlDbType.Uuid => "uuid",
        NpgsqlDbType.Text => "text",
        NpgsqlDbType.Jsonb => "jsonb",
        NpgsqlDbType.TimestampTz => "timestamptz",
        NpgsqlDbType.Integer => "integer",
        NpgsqlDbType.Smallint => "smallint",
        NpgsqlDbType.Bigint => "bigint",
        NpgsqlDbType.Boolean => "boolean",
        NpgsqlDbType.Double => "double precision",
        NpgsqlDbType.Array | NpgsqlDbType.Text => "text[]",
        _ => throw new NotSupportedException($"No staging type for {Type}."),
    };

    public abstract void Write(NpgsqlBinaryImporter importer, TRecord record);
}

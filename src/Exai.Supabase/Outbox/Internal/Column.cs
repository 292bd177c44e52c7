using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>Builds the typed <see cref="CopyColumn{TRecord}"/>s of a kind without boxing.</summary>
internal static class Column
{
    public static CopyColumn<T> Of<T, TValue>(string name, NpgsqlDbType type, Func<T, TValue> get)
        where TValue : struct => new ValueColumn<T, TValue>(name, type, get);

    public static CopyColumn<T> Nullable<T, TValue>(string name, NpgsqlDbType type, Func<T, TValue?> get)
        where TValue : struct => new NullableColumn<T, TValue>(name, type, get);

    public static CopyColumn<T> Text<T>(string name, Func<T, string?> get, NpgsqlDbType type = NpgsqlDbType.Text) =>
        new ReferenceColumn<T, string>(name, type, get);

    public static CopyColumn<T> TextArray<T>(string name, Func<T, string[]?> get) =>
        new ReferenceColumn<T, string[]>(name, NpgsqlDbType.Array | NpgsqlDbType.Text, get);

    private sealed class ValueColumn<T, TValue>(string name, NpgsqlDbType type, Func<T, TValue> get) : CopyColumn<T>(name, type)
        where TValue : struct
    {
        public override void Write(NpgsqlBinaryImporter importer, T record) => importer.Write(get(record), Type);
    }

    private sealed class NullableColumn<T, TValue>(string name, NpgsqlDbType type, Func<T, TValue?> get) : CopyColumn<T>(name, type)
        where TValue : struct
    {
        public override void Write(NpgsqlBinaryImporter importer, T record)
        {
            if (get(record) is { } value)
            {
                importer.Write(value, Type);
            }
            else
            {
                importer.WriteNull();
            }
        }
    }

    private sealed class ReferenceColumn<T, TValue>(string name, NpgsqlDbType type, Func<T, TValue?> get) : CopyColumn<T>(name, type)
        where TValue : class
    {
        public override void Write(NpgsqlBinaryImporter importer, T record)
        {
            if (get(record) is { } value)
            {
                importer.Write(value, Type);
            }
            else
            {
                importer.WriteNull();
            }
        }
    }
}

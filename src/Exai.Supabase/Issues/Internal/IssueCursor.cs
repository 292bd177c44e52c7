using System.Buffers.Binary;
using System.Buffers.Text;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// The opaque cursor of a keyset page: the (creation time, id) of the last issue of the previous page, as base64url.
/// Opaque so callers do not build their own; versioned so the format can change.
/// </summary>
internal static class IssueCursor
{
    private const byte Version = 1;
    private const int Length = 1 + 8 + 16;

    public static string Encode(DateTimeOffset createdAt, Guid id)
    {
        Span<byte> bytes = stackalloc byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], createdAt.UtcTicks);
        id.TryWriteBytes(bytes[9..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <exception cref="ArgumentException">The text is not a cursor made by <see cref="Encode"/>.</exception>
    public static (DateTimeOffset CreatedAt, Guid Id) Decode(string cursor, string parameterName)
    {
        Span<byte> bytes = stackalloc byte[Length + 3];
        if (cursor.Length > 64
            || !Base64Url.IsValid(cursor)
            || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written)
            || written != Length
            || bytes[0] != Version)
        {
            throw new ArgumentException($"{parameterName} is not a cursor returned by ListAsync (IssuePage.NextCursor).", parameterName);
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new ArgumentException($"{parameterName} is not a cursor returned by ListAsync (IssuePage.NextCursor).", parameterName);
        }

        return (new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes.Slice(9, 16), bigEndian: true));
    }
}

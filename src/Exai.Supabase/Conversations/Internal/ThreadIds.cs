using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// The id of a thread made by this library is a name-based UUID (version 5) of its continuation id, so every
/// instance that creates or appends to the same continuation id at the same moment agrees on the thread's id.
/// Threads adopted from elsewhere keep their own ids and are found by continuation id instead.
/// </summary>
internal static class ThreadIds
{
    // The namespace of Exai.Supabase thread ids (a fixed random UUID).
    private static readonly Guid Namespace = new("0b7f3c2e-5a41-4d6a-9f0e-3c1b8e6a2d57");

    public static Guid For(string continuationId)
    {
        var nameLength = Encoding.UTF8.GetByteCount(continuationId);
        var buffer = ArrayPool<byte>.Shared.Rent(16 + nameLength);
        try
        {
            Namespace.TryWriteBytes(buffer, bigEndian: true, out _);
            Encoding.UTF8.GetBytes(continuationId, buffer.AsSpan(16));
            Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version-5 ids; it names, it does not protect.
            SHA1.HashData(buffer.AsSpan(0, 16 + nameLength), hash);
#pragma warning restore CA5350
            hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
            hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
            return new Guid(hash[..16], bigEndian: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

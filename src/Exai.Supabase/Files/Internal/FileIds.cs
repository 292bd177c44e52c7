using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// Name-based (version 5) ids, so every instance agrees on them without asking the database: a file's id from its
/// bucket and path, an upload record's id from its file, provider and provider file id.
/// </summary>
internal static class FileIds
{
    // The namespace of Exai.Supabase file ids (a fixed random UUID).
    private static readonly Guid Namespace = new("5e0c8a27-6f1d-4b3e-a9d2-71c4f0b8e613");

    public static Guid ForFile(string bucket, string storagePath) => NameBased($"file/{bucket}/{storagePath}");

    public static Guid ForUpload(Guid fileId, string provider, string providerFileId) =>
        NameBased($"upload/{fileId:N}/{provider}/{providerFileId}");

    private static Guid NameBased(string name)
    {
        var nameLength = Encoding.UTF8.GetByteCount(name);
        var buffer = ArrayPool<byte>.Shared.Rent(16 + nameLength);
        try
        {
            Namespace.TryWriteBytes(buffer, bigEndian: true, out _);
            Encoding.UTF8.GetBytes(name, buffer.AsSpan(16));
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

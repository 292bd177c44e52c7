using System.Buffers.Binary;
using System.Numerics;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>CRC-32C (Castagnoli) of spill records, on the CPU's CRC instructions where it has them.</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}

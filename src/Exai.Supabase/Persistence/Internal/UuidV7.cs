using System.Buffers.Binary;

namespace Exai.Supabase.Persistence.Internal;

/// <summary>
/// RFC 9562 version-7 ids, monotonic within the process: a 48-bit Unix millisecond time, then a 12-bit counter in
/// <c>rand_a</c> (method 1 of the RFC), then 62 random bits. Ids made later in this process sort after earlier ones
/// (PostgreSQL compares <c>uuid</c> bytewise), which keeps a thread's turns in order even within a millisecond.
/// </summary>
internal static class UuidV7
{
    private const int CounterBits = 12;
    private static long _last;

    public static Guid NewId(TimeProvider time) => NewId(time.GetUtcNow().ToUnixTimeMilliseconds());

    public static Guid NewId(long unixMilliseconds)
    {
        var candidate = unixMilliseconds << CounterBits;
        long next;
        while (true)
        {
            var last = Volatile.Read(ref _last);
            // Same millisecond (or a clock step back): count on from the last id, spilling into the time field
            // when the counter is full rather than repeating an id.
            next = candidate > last ? candidate : last + 1;
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                break;
            }
        }

        // Written field by field (the Guid's big-endian byte order is PostgreSQL's): 48 bits of time, version 7 and the
        // counter, then the variant and 62 random bits.
        var milliseconds = next >> CounterBits;
        var counter = (ushort)(next & ((1 << CounterBits) - 1));
        var random = (ulong)Random.Shared.NextInt64();
        return new Guid(
            (uint)(milliseconds >> 16),
            (ushort)milliseconds,
            (ushort)(0x7000 | counter),
            (byte)(0x80 | ((random >> 56) & 0x3F)),
            (byte)(random >> 48),
            (byte)(random >> 40),
            (byte)(random >> 32),
            (byte)(random >> 24),
            (byte)(random >> 16),
            (byte)(random >> 8),
            (byte)random);
    }

    /// <summary>The Unix millisecond time inside a version-7 id.</summary>
    public static long UnixMilliseconds(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return BinaryPrimitives.ReadInt64BigEndian(bytes) >>> 16;
    }
}

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

        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = next >> CounterBits;
        var counter = (int)(next & ((1 << CounterBits) - 1));
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16);
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], Random.Shared.NextInt64());
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The Unix millisecond time inside a version-7 id.</summary>
    public static long UnixMilliseconds(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        return BinaryPrimitives.ReadInt64BigEndian(bytes) >>> 16;
    }
}

using System.Reflection;
using System.Runtime.CompilerServices;
using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Outbox;

/// <summary>The stock of blank turn records an append fills instead of allocating (in-process; no database involved).</summary>
public sealed class BlankRecordsTests
{
    [Test]
    public async Task The_first_take_starts_the_top_up_and_the_stock_fills_to_capacity()
    {
        var blanks = new BlankRecords<MessageRecord>(MessageRecord.Blank, capacity: 64, chunkSize: 8);
        blanks.IsRunning.Should().BeFalse();
        blanks.InStock.Should().Be(0);

        var first = blanks.Take();

        first.Should().NotBeNull("an empty stock makes the caller's own blank");
        await Eventually.TrueAsync(() => Task.FromResult(blanks.InStock == 64), TimeSpan.FromSeconds(10), "the stock filling up");
    }

    [Test]
    public async Task The_top_up_stops_after_a_period_without_takes_and_the_next_take_starts_it_again()
    {
        var blanks = new BlankRecords<MessageRecord>(MessageRecord.Blank, capacity: 16, chunkSize: 4);
        blanks.Take();
        await Eventually.TrueAsync(() => Task.FromResult(!blanks.IsRunning), TimeSpan.FromSeconds(10), "the timer stopping once nothing is taken");
        blanks.InStock.Should().Be(16);

        // Every chunk in stock, and then some: the stock is empty until the top-up, restarted by these takes, refills it.
        for (var i = 0; i < 20; i++)
        {
            blanks.Take();
        }

        await Eventually.TrueAsync(() => Task.FromResult(blanks.InStock == 16), TimeSpan.FromSeconds(10), "the stock refilled by the restarted top-up");
    }

    [Test]
    public async Task A_top_up_slower_than_its_period_does_not_run_twice_at_once_and_overfill_the_stock()
    {
        // The first blank a top-up makes waits until a second top-up comes in alongside it, or for 100 ms (twenty 5 ms
        // ticks of the timer) if none does; the caller's own blank, made on this thread, is not counted.
        var caller = Environment.CurrentManagedThreadId;
        var making = 0;
        var mostAtOnce = 0;
        var made = 0;
        using var second = new ManualResetEventSlim();
        var blanks = new BlankRecords<MessageRecord>(
            () =>
            {
                if (Environment.CurrentManagedThreadId != caller)
                {
                    var now = Interlocked.Increment(ref making);
                    InterlockedMax(ref mostAtOnce, now);
                    if (now > 1)
                    {
                        second.Set();
                    }
                    else if (Interlocked.Increment(ref made) == 1)
                    {
                        second.Wait(TimeSpan.FromMilliseconds(100));
                    }

                    Interlocked.Decrement(ref making);
                }

                return MessageRecord.Blank();
            },
            capacity: 16,
            chunkSize: 4);
        blanks.Take();

        await Eventually.TrueAsync(() => Task.FromResult(!blanks.IsRunning), TimeSpan.FromSeconds(10), "the timer stopping once the stock is full");

        mostAtOnce.Should().Be(1, "a timer tick during a top-up returns instead of starting another");
        blanks.InStock.Should().Be(16, "the stock holds its capacity, no more");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var was && was != seen)
        {
            seen = was;
        }
    }

    [Test]
    public async Task Concurrent_takers_never_get_the_same_blank_even_past_the_stock()
    {
        var blanks = new BlankRecords<MessageRecord>(MessageRecord.Blank, capacity: 128, chunkSize: 16);
        var taken = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var mine = new List<MessageRecord>(20_000);
            for (var i = 0; i < 20_000; i++)
            {
                mine.Add(blanks.Take());
            }

            return mine;
        })));

        var all = taken.SelectMany(t => t).ToList();
        all.Should().HaveCount(80_000);
        all.Distinct(ReferenceEqualityComparer.Instance).Should().HaveCount(80_000);
        all.Should().OnlyContain(r => r.Id == Guid.Empty && r.Content.Length == 0 && r.ScopeUserId == null && r.FileIds == null, "every blank is blank");
    }

    [Test]
    public async Task Warming_reaches_the_blank_the_next_take_returns_and_nothing_else()
    {
        var warmed = new List<MessageRecord>();
        var blanks = new BlankRecords<MessageRecord>(MessageRecord.Blank, warmed.Add, capacity: 16, chunkSize: 4);
        blanks.Take();
        await Eventually.TrueAsync(() => Task.FromResult(blanks.InStock >= 4), TimeSpan.FromSeconds(10), "a chunk in stock");
        warmed.Clear();

        // On a thread of its own, which holds no chunk yet.
        var taken = new List<MessageRecord>();
        var warmedWithoutChunk = -1;
        var warmedWithChunkUsedUp = -1;
        var taker = new Thread(() =>
        {
            blanks.WarmNext();
            warmedWithoutChunk = warmed.Count;
            taken.Add(blanks.Take());
            for (var i = 0; i < 3; i++)
            {
                blanks.WarmNext();
                taken.Add(blanks.Take());
            }

            blanks.WarmNext();
            warmedWithChunkUsedUp = warmed.Count;
        });
        taker.Start();
        taker.Join();

        warmedWithoutChunk.Should().Be(0, "a thread holding no chunk of this stock has nothing to warm");
        warmed.Should().Equal(taken.Skip(1), ReferenceEquals, "each warm-up reaches the blank the next take returns");
        warmedWithChunkUsedUp.Should().Be(3, "once the chunk is used up the next blank comes from a chunk the thread does not hold yet");
    }

    [Test]
    public void A_warmed_blank_stays_blank()
    {
        var blank = MessageRecord.Blank();

        MessageRecord.Warm(blank);

        blank.Should().BeEquivalentTo(MessageRecord.Blank(), o => o.Excluding(r => r.ThreadId).Excluding(r => r.EstimatedBytes));
        blank.Tracker.Should().BeNull();
        blank.NextTracked.Should().BeNull();
        blank.Epoch.Should().BeNull();
        blank.EnqueuedAt.Should().Be(0);
    }

    [Test]
    public void Warming_writes_within_every_64_bytes_of_the_fields_an_append_fills()
    {
        var offsets = FieldOffsets();
        // The fields Warm writes: those it changes on a record holding a marker in every field.
        var record = MessageRecord.Blank();
        foreach (var field in InstanceFields())
        {
            field.SetValue(record, Marker(field.FieldType));
        }

        var before = Bytes(record, Span);
        MessageRecord.Warm(record);
        var after = Bytes(record, Span);
        var warmed = offsets.Values.Where(f => Enumerable.Range(f.Start, f.End - f.Start).Any(i => before[i] != after[i])).Order().ToList();
        // What an append writes (fill, enqueue, tracking): every field but these.
        string[] notWrittenByAnAppend = ["_trail", "Attempted", "_settled", "Restored", "_threadId"];
        var written = offsets.Where(f => !notWrittenByAnAppend.Contains(f.Key)).Select(f => f.Value).ToList();

        warmed.Should().NotBeEmpty();
        warmed[0].Start.Should().BeLessThanOrEqualTo(written.Min(f => f.Start), "the first field an append writes is warmed");
        warmed[^1].End.Should().BeGreaterThanOrEqualTo(written.Max(f => f.End), "the last field an append writes is warmed");
        warmed.Zip(warmed.Skip(1), (a, b) => b.Start - a.Start).Should().OnlyContain(gap => gap <= 64, "no 64-byte line lies between two warmed fields");
    }

    /// <summary>The bytes of a message record's fields: from the method table pointer to the end of the object (which begins with an 8-byte header).</summary>
    private static int Span { get; } = FieldsSpan();

    private static int FieldsSpan()
    {
        MessageRecord.Blank(); // the type's first use may allocate more than the object
        var before = GC.GetAllocatedBytesForCurrentThread();
        MessageRecord.Blank();
        return (int)(GC.GetAllocatedBytesForCurrentThread() - before) - 16;
    }

    private static IEnumerable<FieldInfo> InstanceFields()
    {
        for (var type = typeof(MessageRecord); type != typeof(object); type = type!.BaseType)
        {
            foreach (var field in type!.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }

    /// <summary>Where each instance field of a message record lies: found by setting it on one of two blanks and comparing their bytes.</summary>
    private static Dictionary<string, (int Start, int End)> FieldOffsets()
    {
        var result = new Dictionary<string, (int, int)>();
        foreach (var field in InstanceFields())
        {
            var plain = MessageRecord.Blank();
            var marked = MessageRecord.Blank();
            field.SetValue(marked, Marker(field.FieldType));
            var (a, b) = (Bytes(plain, Span), Bytes(marked, Span));
            var changed = Enumerable.Range(0, Span).Where(i => a[i] != b[i]).ToList();
            changed.Should().NotBeEmpty($"setting {field.Name} changes the object's bytes");
            var name = field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
            // Two references may differ only in their low bytes: a reference field is a pointer's width.
            result[name] = (changed[0], field.FieldType.IsValueType ? changed[^1] + 1 : changed[0] + IntPtr.Size);
        }

        return result;
    }

    private static object Marker(Type type) => type switch
    {
        _ when type == typeof(string) => "marker",
        _ when type == typeof(Guid) || type == typeof(Guid?) => Guid.Parse("11111111-2222-3333-4444-555555555555"),
        _ when type == typeof(long) => -1L,
        _ when type == typeof(int?) => -1,
        _ when type == typeof(bool) => true,
        _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2000, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)),
        _ when type.IsArray => Array.CreateInstance(type.GetElementType()!, 1),
        _ => RuntimeHelpers.GetUninitializedObject(type),
    };

    private static byte[] Bytes(object value, int count)
    {
        ref var first = ref Unsafe.As<RawObject>(value).Data;
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = Unsafe.Add(ref first, i);
        }

        return bytes;
    }

    private sealed class RawObject
    {
        public byte Data;
    }
}

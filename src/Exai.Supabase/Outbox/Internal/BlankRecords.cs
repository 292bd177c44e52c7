using System.Collections.Concurrent;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// Blank records made ahead of time on a thread-pool thread, so a caller fills one instead of allocating it. The
/// allocation, and with it the first touch of fresh heap memory (a page fault of several µs on a VM, about once in
/// thirty 270-byte records), happens off the caller's path. Blanks come in chunks: a calling thread keeps the chunk it
/// is using, so taking a blank is an array read on the thread's own chunk, and one lock-free dequeue per chunk. Nothing
/// wakes a thread: a timer tops the stock up every <see cref="Period"/> while chunks are being taken and stops itself
/// after a period in which none was (the next chunk taken starts it again). A caller that finds the stock empty — a
/// burst faster than <c>capacity</c> per period — allocates its own.
/// <para>
/// A blank's memory was last written on the topping-up thread's core, so filling it makes this core fetch each of its
/// cache lines from there, and the caller's next atomic operation waits for those fetches. <see cref="WarmNext"/>,
/// called once a caller's work is done, writes to the next blank so the fetches happen between the caller's calls.
/// </para>
/// </summary>
internal sealed class BlankRecords<T>
    where T : class
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);

    [ThreadStatic]
    private static Hand? t_hand;

    private readonly ConcurrentQueue<T[]> _stock = new();
    private readonly Func<T> _create;
    private readonly Action<T>? _warm;
    private readonly int _chunks;
    private readonly int _chunkSize;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private volatile bool _running;
    private int _toppingUp;

    /// <param name="create">Makes one blank.</param>
    /// <param name="warm">Writes to the cache lines of a blank that a caller fills, without changing it (see <see cref="WarmNext"/>).</param>
    /// <param name="capacity">Blanks kept in stock (a multiple of <paramref name="chunkSize"/>).</param>
    /// <param name="chunkSize">Blanks a thread takes from the stock at a time.</param>
    public BlankRecords(Func<T> create, Action<T>? warm = null, int capacity = 1_024, int chunkSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, chunkSize);
        _create = create;
        _warm = warm;
        _chunkSize = chunkSize;
        _chunks = capacity / chunkSize;
        _timer = new Timer(static state => ((BlankRecords<T>)state!).TopUp(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Blanks in stock now, not counting chunks threads hold (for tests and diagnostics).</summary>
    public int InStock => _stock.Count * _chunkSize;

    /// <summary>Whether the timer is topping the stock up.</summary>
    public bool IsRunning => _running;

    /// <summary>A blank record: from this thread's chunk, a chunk from the stock, or a new one when the stock is empty.</summary>
    public T Take()
    {
        var hand = t_hand;
        if (hand is not null && ReferenceEquals(hand.Owner, this) && hand.Next < hand.Chunk.Length)
        {
            return hand.Chunk[hand.Next++];
        }

        return TakeChunk();
    }

    /// <summary>
    /// Runs the warm-up on the blank this thread's next <see cref="Take"/> returns, if it is in the chunk the thread
    /// holds (the blank stays this thread's: no other thread takes from that chunk).
    /// </summary>
    public void WarmNext()
    {
        var hand = t_hand;
        if (_warm is not null && hand is not null && ReferenceEquals(hand.Owner, this) && hand.Next < hand.Chunk.Length)
        {
            _warm(hand.Chunk[hand.Next]);
        }
    }

    private T TakeChunk()
    {
        if (!_running)
        {
            Start();
        }

        if (!_stock.TryDequeue(out var chunk))
        {
            return _create();
        }

        var hand = t_hand ??= new Hand();
        hand.Owner = this;
        hand.Chunk = chunk;
        hand.Next = 1;
        return chunk[0];
    }

    private void Start()
    {
        lock (_gate)
        {
            if (!_running)
            {
                _running = true;
                _timer.Change(TimeSpan.Zero, Period);
            }
        }
    }

    private void TopUp()
    {
        // The timer fires again while a slow top-up (a busy machine, a slow blank) is still filling: both would count the
        // same missing chunks and overfill the stock, so one runs at a time and the other returns.
        if (Interlocked.Exchange(ref _toppingUp, 1) == 1)
        {
            return;
        }

        try
        {
            FillStock();
        }
        finally
        {
            Volatile.Write(ref _toppingUp, 0);
        }
    }

    private void FillStock()
    {
        if (_stock.Count >= _chunks)
        {
            // Nothing was taken since the last top-up: stop until a caller comes back.
            lock (_gate)
            {
                if (_stock.Count >= _chunks)
                {
                    _running = false;
                    _timer.Change(Timeout.Infinite, Timeout.Infinite);
                }
            }

            return;
        }

        for (var missing = _chunks - _stock.Count; missing > 0; missing--)
        {
            var chunk = new T[_chunkSize];
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = _create();
            }

            _stock.Enqueue(chunk);
        }
    }

    /// <summary>The chunk a thread is taking blanks from, and whose it is (a thread may use several stores).</summary>
    private sealed class Hand
    {
        public BlankRecords<T>? Owner;
        public T[] Chunk = [];
        public int Next;
    }
}

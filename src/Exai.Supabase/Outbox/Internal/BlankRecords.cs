using System.Collections.Concurrent;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// Blank records made ahead of time on a thread-pool thread, so a caller fills one instead of allocating it. The
/// allocation, and with it the first touch of fresh heap memory (a page fault of several µs on a VM, about once in
/// thirty 270-byte records), happens off the caller's path. Taking a blank is one lock-free dequeue and never wakes a
/// thread: a timer tops the stock up every <see cref="Period"/> while blanks are being taken and stops itself after a
/// period in which none was (the next caller starts it again). A caller that finds the stock empty — a burst faster
/// than <c>capacity</c> per period — allocates its own.
/// </summary>
internal sealed class BlankRecords<T>
    where T : class
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentQueue<T> _stock = new();
    private readonly Func<T> _create;
    private readonly int _capacity;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private volatile bool _running;

    public BlankRecords(Func<T> create, int capacity = 1_024)
    {
        _create = create;
        _capacity = capacity;
        _timer = new Timer(static state => ((BlankRecords<T>)state!).TopUp(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Blanks in stock now (for tests and diagnostics).</summary>
    public int InStock => _stock.Count;

    /// <summary>Whether the timer is topping the stock up.</summary>
    public bool IsRunning => _running;

    /// <summary>A blank record: from the stock, or a new one when the stock is empty.</summary>
    public T Take()
    {
        if (!_running)
        {
            Start();
        }

        return _stock.TryDequeue(out var blank) ? blank : _create();
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
        if (_stock.Count >= _capacity)
        {
            // Nothing was taken since the last top-up: stop until a caller comes back.
            lock (_gate)
            {
                if (_stock.Count >= _capacity)
                {
                    _running = false;
                    _timer.Change(Timeout.Infinite, Timeout.Infinite);
                }
            }

            return;
        }

        for (var missing = _capacity - _stock.Count; missing > 0; missing--)
        {
            _stock.Enqueue(_create());
        }
    }
}

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// A thread's cached turns, oldest first, in a circular buffer: adding the newest turn and dropping the oldest moves
/// nothing.
/// </summary>
internal sealed class TurnRing
{
    private CachedTurn[] _items;
    private int _head;

    public TurnRing(int capacity = 4) => _items = new CachedTurn[Math.Max(1, capacity)];

    public int Count { get; private set; }

    public ref readonly CachedTurn this[int index] => ref _items[Slot(index)];

    public static TurnRing From(List<CachedTurn> turns)
    {
        var ring = new TurnRing(turns.Count);
        turns.CopyTo(ring._items);
        ring.Count = turns.Count;
        return ring;
    }

    /// <summary>Inserts at <paramref name="index"/> (0 ≤ index ≤ Count), moving the newer turns up by one.</summary>
    public void Insert(int index, in CachedTurn turn)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        for (var i = Count; i > index; i--)
        {
            _items[Slot(i)] = _items[Slot(i - 1)];
        }

        _items[Slot(index)] = turn;
        Count++;
    }

    public void RemoveFirst()
    {
        _items[_head] = default;
        _head = Slot(1);
        Count--;
    }

    public List<CachedTurn> ToList()
    {
        var list = new List<CachedTurn>(Count);
        for (var i = 0; i < Count; i++)
        {
            list.Add(this[i]);
        }

        return list;
    }

    public ConversationMessage[] ToMessages()
    {
        var messages = new ConversationMessage[Count];
        for (var i = 0; i < Count; i++)
        {
            messages[i] = this[i].ToMessage();
        }

        return messages;
    }

    private int Slot(int index)
    {
        var slot = _head + index;
        return slot >= _items.Length ? slot - _items.Length : slot;
    }

    private void Grow()
    {
        var items = new CachedTurn[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            items[i] = this[i];
        }

        _items = items;
        _head = 0;
    }
}

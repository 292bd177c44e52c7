namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// Counts the records accepted between two flushes. A flush seals the current epoch and waits until it (and every
/// earlier one) has no record outstanding; records finish when they are saved, dead-lettered or dropped.
/// </summary>
internal sealed class FlushEpoch(FlushEpoch? previous)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _outstanding;
    private int _sealed;

    public FlushEpoch? Previous { get; private set; } = previous;

    public Task Done => _done.Task;

    public void Add() => Interlocked.Increment(ref _outstanding);

    public void Finish() => Finish(1);

    /// <summary>Finishes several records at once: one atomic operation per batch, not per record.</summary>
    public void Finish(int count)
    {
        if (Interlocked.Add(ref _outstanding, -count) == 0 && Volatile.Read(ref _sealed) == 1)
        {
            TryComplete();
        }
    }

    /// <summary>Stops this epoch from taking part in later flushes; it completes once empty and its predecessors are done.</summary>
    public void Seal()
    {
        Volatile.Write(ref _sealed, 1);
        if (Interlocked.Read(ref _outstanding) == 0)
        {
            TryComplete();
        }
    }

    private void TryComplete()
    {
        var previous = Previous;
        if (previous is null || previous.Done.IsCompleted)
        {
            Previous = null;
            _done.TrySetResult();
            return;
        }

        previous.Done.ContinueWith(_ => TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}

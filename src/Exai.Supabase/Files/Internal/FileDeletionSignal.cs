namespace Exai.Supabase.Files.Internal;

/// <summary>Wakes the deletion worker early when this process has just queued a job (it landed).</summary>
internal sealed class FileDeletionSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Nudge()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already nudged.
        }
    }

    /// <summary>Waits for a nudge or the end of <paramref name="interval"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var nudged = _signal.WaitAsync(either.Token);
        var elapsed = Task.Delay(interval, time, either.Token);
        await Task.WhenAny(nudged, elapsed).ConfigureAwait(false);
        await either.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(nudged, elapsed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loser was cancelled.
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}

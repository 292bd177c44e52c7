using System.Collections.Concurrent;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// The outbox: <see cref="Record"/> puts a record on an in-memory queue and returns (no I/O, no lock); a drain task
/// writes batches through <see cref="BatchLander"/>; a spill task moves records to disk when memory passes its cap
/// or the database has been unreachable for a while. Bad rows are isolated by splitting their batch and kept in the
/// dead-letter table; children whose parent has not arrived wait for it.
/// </summary>
internal sealed class OutboxProcessor : IExaiOutbox, IAsyncDisposable
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AdoptionInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxParentRetryDelay = TimeSpan.FromSeconds(5);
    private const int SpillChunk = 64;

    // Scheduling (batch age, backoff, fsync) runs on real time: an application's fake clock must not stall writes.
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly OutboxOptions _options;
    private readonly BatchLander _lander;
    private readonly RecordKindRegistry _kinds;
    private readonly SchemaReadiness _readiness;
    private readonly ExaiDataSources _dataSources;
    private readonly ILogger _logger;
    private readonly string? _spillRoot;
    private readonly long _hardCount;
    private readonly long _hardBytes;

    private readonly ConcurrentQueue<OutboxRecord> _queue = new();
    private readonly ConcurrentQueue<OutboxRecord> _overflow = new();
    private readonly SemaphoreSlim _drainSignal = new(0);
    private readonly SemaphoreSlim _spillSignal = new(0);
    private readonly ManualResetEventSlim _room = new(initialState: true);
    private readonly object _epochGate = new();
    private readonly object _startGate = new();
    private readonly CancellationTokenSource _stopDrain = new();
    private readonly CancellationTokenSource _stopSpill = new();

    // Owned by the drain task.
    private readonly List<OutboxRecord> _retry = [];
    private readonly List<(OutboxRecord Record, long Due)> _parked = [];

    private FlushEpoch _epoch = new(null);
    private SpillStore? _spill;
    private Task _drainTask = Task.CompletedTask;
    private Task _spillTask = Task.CompletedTask;
    private long _queuedCount;
    private long _queuedBytes;
    private int _started;
    private int _stopped;
    private int _flushRequests;
    private int _fullLogged;
    private volatile bool _stopping;
    private volatile bool _outage;
    private long _outageSince;
    private long _inFlightSince;
    private long _retryOldest;
    private long _parkedOldest;
    private long _spillOldest;
    private string? _lastFailure;
    private volatile int _retryCount;
    private volatile int _parkedCount;

    public OutboxProcessor(
        IOptions<ExaiSupabaseOptions> options,
        ExaiDataSources dataSources,
        RecordKindRegistry kinds,
        SchemaReadiness readiness,
        ILogger<OutboxProcessor> logger)
    {
        _options = options.Value.Outbox;
        _dataSources = dataSources;
        _kinds = kinds;
        _readiness = readiness;
        _logger = logger;
        _lander = new BatchLander(dataSources, kinds, $"{Environment.MachineName}/{Environment.ProcessId}");
        _spillRoot = _options.SpillDirectory switch
        {
            null => OutboxDefaults.SpillDirectory,
            "" => null,
            var folder => folder,
        };
        // Past the soft cap the spill task moves records out; at the hard cap (twice the soft one, reached only when
        // spilling cannot keep up or has no room) the full mode applies.
        _hardCount = 2L * _options.MaxQueuedRecords;
        _hardBytes = 2L * _options.MaxQueuedBytes;
    }

    public OutboxCounters Counters { get; } = new();

    /// <summary>The folder this process spills into, once started with spilling enabled.</summary>
    public string? SpillFolder => _spill?.Folder;

    /// <summary>
    /// Accepts a validated record. Never performs I/O; at the hard cap with no spill room it drops the record (or,
    /// in <see cref="OutboxFullMode.Wait"/>, waits for room up to the configured timeout).
    /// </summary>
    /// <returns><see langword="false"/> when the record was dropped (and counted) because the outbox is full.</returns>
    public bool Record(OutboxRecord record)
    {
        if (Volatile.Read(ref _started) == 0)
        {
            // Without a host nobody started the background tasks; start them off this thread (it may touch disk).
            ThreadPool.UnsafeQueueUserWorkItem(static self => self.EnsureStarted(), this, preferLocal: false);
        }

        var bytes = record.EstimatedBytes;
        var count = Interlocked.Increment(ref _queuedCount);
        var total = Interlocked.Add(ref _queuedBytes, bytes);
        if ((count > _hardCount || total > _hardBytes) && !WaitForRoom())
        {
            Interlocked.Decrement(ref _queuedCount);
            Interlocked.Add(ref _queuedBytes, -bytes);
            Counters.Dropped(OutboxCounters.Full, 1);
            record.OnAbandoned();
            if (Interlocked.Exchange(ref _fullLogged, 1) == 0)
            {
                OutboxLog.Full(_logger, _options.FullMode);
            }

            return false;
        }

        var epoch = Volatile.Read(ref _epoch);
        epoch.Add();
        record.Epoch = epoch;
        // A millisecond tick is plenty for batch ages and lag, and much cheaper than a high-resolution clock read.
        record.EnqueuedAt = Environment.TickCount64;
        _queue.Enqueue(record);
        Counters.RecordedOne();
        // Wake the drain for the first record and when a full batch is waiting: each count is seen by exactly one caller,
        // so testing equality (not a remainder: a 64-bit division costs a caller tens of ns) wakes it once per crossing,
        // and the drain does not wait while a full batch is queued.
        if (count == 1 || count == _options.MaxBatchRecords || (total >= _options.MaxBatchBytes && total - bytes < _options.MaxBatchBytes))
        {
            Signal(_drainSignal);
        }

        if (count > _options.MaxQueuedRecords || total > _options.MaxQueuedBytes)
        {
            Signal(_spillSignal);
        }

        return true;
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        EnsureStarted();
        FlushEpoch sealedEpoch;
        lock (_epochGate)
        {
            sealedEpoch = _epoch;
            Volatile.Write(ref _epoch, new FlushEpoch(sealedEpoch));
        }

        sealedEpoch.Seal();
        Interlocked.Increment(ref _flushRequests);
        Signal(_drainSignal);
        try
        {
            await sealedEpoch.Done.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _flushRequests);
        }
    }

    public OutboxStatistics GetStatistics() => new(
        Counters.Recorded,
        Counters.Persisted,
        Counters.DeadLettered,
        Counters.DroppedByReason(),
        Counters.Retries,
        Counters.SpilledCount,
        Counters.ReplayedCount,
        Interlocked.Read(ref _queuedCount),
        Interlocked.Read(ref _queuedBytes),
        _spill?.Bytes ?? 0,
        _parkedCount,
        Lag(),
        !_outage);

    /// <summary>How long the oldest record not yet saved has waited.</summary>
    public TimeSpan Lag()
    {
        var oldest = long.MaxValue;
        if (_queue.TryPeek(out var head))
        {
            oldest = head.EnqueuedAt;
        }

        if (_overflow.TryPeek(out var overflow))
        {
            oldest = Math.Min(oldest, overflow.EnqueuedAt);
        }

        foreach (var since in new[] { Interlocked.Read(ref _inFlightSince), Interlocked.Read(ref _retryOldest), Interlocked.Read(ref _parkedOldest), Interlocked.Read(ref _spillOldest) })
        {
            if (since != 0)
            {
                oldest = Math.Min(oldest, since);
            }
        }

        return oldest == long.MaxValue ? TimeSpan.Zero : Since(oldest);
    }

    /// <summary>Starts the background tasks (idempotent); the first record or the hosted service calls it.</summary>
    public void EnsureStarted()
    {
        if (Volatile.Read(ref _started) == 1)
        {
            return;
        }

        lock (_startGate)
        {
            if (_started == 1)
            {
                return;
            }

            if (_spillRoot is not null)
            {
                try
                {
                    _spill = SpillStore.Open(_spillRoot, _options, _kinds, Counters, _logger);
                    _spill.AdoptAbandoned(CurrentEpoch());
                    OutboxLog.Started(_logger, _spill.Folder);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    OutboxLog.NoSpill(_logger);
                    _spill = null;
                }
            }
            else
            {
                OutboxLog.NoSpill(_logger);
            }

            // The loops must not inherit the starting flow's ambient state (a user's ExaiScope, say): each record
            // carries its own scope.
            using (ExecutionContext.SuppressFlow())
            {
                _drainTask = Task.Run(() => RunGuardedAsync(DrainLoopAsync, _stopDrain.Token));
                _spillTask = Task.Run(() => RunGuardedAsync(SpillLoopAsync, _stopSpill.Token));
            }
            Volatile.Write(ref _started, 1);
        }
    }

    /// <summary>
    /// Drains for at most <paramref name="drainFor"/> (while the database answers), then stops writing and spills
    /// whatever is left for the next start.
    /// </summary>
    public async Task StopAsync(TimeSpan drainFor, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || Volatile.Read(ref _started) == 0)
        {
            return;
        }

        _stopping = true;
        Signal(_drainSignal);
        if (drainFor > TimeSpan.Zero && !_outage)
        {
            try
            {
                await FlushAsync(cancellationToken).WaitAsync(drainFor, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                // What is left is spilled below.
            }
        }

        await _stopDrain.CancelAsync().ConfigureAwait(false);
        await _drainTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stopSpill.CancelAsync().ConfigureAwait(false);
        await _spillTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        SpillLeftovers();
    }

    /// <summary>
    /// Stops as a killed process would: the loops end, nothing in memory is saved, the spill folder (with what it
    /// holds) is left for the next process to adopt. For crash tests.
    /// </summary>
    internal async Task AbandonAsync()
    {
        Interlocked.Exchange(ref _stopped, 1);
        await _stopDrain.CancelAsync().ConfigureAwait(false);
        await _stopSpill.CancelAsync().ConfigureAwait(false);
        await _drainTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _spillTask.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _spill?.Sync(force: true);
        _spill?.Dispose();
        _spill = null;
        _queue.Clear();
        _overflow.Clear();
        _retry.Clear();
        _parked.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_options.ShutdownMargin, CancellationToken.None).ConfigureAwait(false);
        SpillLeftovers();
        _spill?.Dispose();
        _stopDrain.Dispose();
        _stopSpill.Dispose();
        _drainSignal.Dispose();
        _spillSignal.Dispose();
        _room.Dispose();
    }

    private static void Signal(SemaphoreSlim signal)
    {
        if (signal.CurrentCount == 0)
        {
            signal.Release();
        }
    }

    /// <summary>The time since a <see cref="OutboxRecord.EnqueuedAt"/> (an <see cref="Environment.TickCount64"/> value).</summary>
    private static TimeSpan Since(long tickCount) => TimeSpan.FromMilliseconds(Math.Max(0, Environment.TickCount64 - tickCount));

    private static TimeSpan Jitter(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + Random.Shared.NextDouble())));

    private bool WaitForRoom()
    {
        if (_options.FullMode == OutboxFullMode.Drop)
        {
            return false;
        }

        _room.Reset();
        Signal(_spillSignal);
        Signal(_drainSignal);
        var deadline = _clock.GetTimestamp() + (long)(_options.FullWaitTimeout.TotalSeconds * _clock.TimestampFrequency);
        while (Interlocked.Read(ref _queuedCount) > _hardCount || Interlocked.Read(ref _queuedBytes) > _hardBytes)
        {
            var remaining = deadline - _clock.GetTimestamp();
            if (remaining <= 0 || !_room.Wait(TimeSpan.FromSeconds((double)remaining / _clock.TimestampFrequency)))
            {
                return false;
            }

            _room.Reset();
        }

        return true;
    }

    private async Task RunGuardedAsync(Func<CancellationToken, Task> loop, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await loop(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                OutboxLog.LoopFailed(_logger, ex);
                await Task.Delay(_options.MaxRetryDelay, _clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private int Dequeue(List<OutboxRecord> into, ConcurrentQueue<OutboxRecord> queue, int maxCount, long maxBytes)
    {
        var taken = 0;
        long bytes = 0;
        while (taken < maxCount && bytes < maxBytes && queue.TryDequeue(out var record))
        {
            into.Add(record);
            bytes += record.EstimatedBytes;
            taken++;
        }

        if (taken > 0)
        {
            Interlocked.Add(ref _queuedCount, -taken);
            Interlocked.Add(ref _queuedBytes, -bytes);
            _room.Set();
        }

        return taken;
    }

    private async Task DrainLoopAsync(CancellationToken cancellationToken)
    {
        if (!_readiness.IsReady)
        {
            // Queued records are held until the schema is there; past SpillAfter they go to disk.
            MarkOutage();
            await _readiness.WhenReadyAsync(cancellationToken).ConfigureAwait(false);
            _outage = false;
        }

        var delay = _options.RetryDelay;
        var batch = new List<OutboxRecord>(Math.Min(_options.MaxBatchRecords, 16_384));
        var nextAdoption = _clock.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            batch.Clear();
            if (_spill is not null && _clock.GetTimestamp() >= nextAdoption)
            {
                _spill.AdoptAbandoned(CurrentEpoch());
                nextAdoption = _clock.GetTimestamp() + (long)(AdoptionInterval.TotalSeconds * _clock.TimestampFrequency);
            }

            if (!TakeNext(batch))
            {
                await WaitForWorkAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            Interlocked.Exchange(ref _inFlightSince, batch.Min(r => r.EnqueuedAt));
            var unsaved = await LandAsync(batch, cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _inFlightSince, 0);
            if (unsaved.Count == 0)
            {
                if (_outage)
                {
                    _outage = false;
                    OutboxLog.Recovered(_logger, _clock.GetElapsedTime(Interlocked.Read(ref _outageSince)));
                }

                delay = _options.RetryDelay;
                continue;
            }

            // An outage (or the schema is missing): keep what did not land, spill it once the outage lasts, back off.
            MarkOutage();
            Counters.RetriedOne();
            PutBack(unsaved);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            OutboxLog.Unreachable(_logger, _lastFailure ?? "unknown", unsaved.Count, delay);
            MoveRetryToSpillIfOutageLasts();
            await Task.Delay(Jitter(delay), _clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
        }
    }

    private void MarkOutage()
    {
        if (!_outage)
        {
            Interlocked.Exchange(ref _outageSince, _clock.GetTimestamp());
            _outage = true;
            Signal(_spillSignal);
        }
    }

    /// <summary>Takes the next batch from one source: records to retry, parents arrived, spill, overflow, memory.</summary>
    private bool TakeNext(List<OutboxRecord> batch)
    {
        if (_retry.Count > 0)
        {
            var take = Math.Min(_retry.Count, _options.MaxBatchRecords);
            batch.AddRange(_retry.GetRange(0, take));
            _retry.RemoveRange(0, take);
            UpdateRetryState();
            return true;
        }

        if (TakeDueParked(batch))
        {
            return true;
        }

        if (_spill is not null && _spill.HasPending)
        {
            var read = _spill.ReadNext(_options.MaxBatchRecords, _options.MaxBatchBytes);
            if (read is { Count: > 0 })
            {
                batch.AddRange(read);
                return true;
            }
        }

        if (_spill is not null && _spill.Bytes <= SpillSegment.Header.Length)
        {
            Interlocked.Exchange(ref _spillOldest, 0);
        }

        if (!_overflow.IsEmpty)
        {
            return Dequeue(batch, _overflow, _options.MaxBatchRecords, _options.MaxBatchBytes) > 0;
        }

        if (!IsBatchDue())
        {
            return false;
        }

        return Dequeue(batch, _queue, _options.MaxBatchRecords, _options.MaxBatchBytes) > 0;
    }

    private FlushEpoch CurrentEpoch() => Volatile.Read(ref _epoch);

    private bool IsBatchDue()
    {
        var count = Interlocked.Read(ref _queuedCount);
        if (count <= 0 || !_queue.TryPeek(out var oldest))
        {
            return false;
        }

        return _stopping
            || Volatile.Read(ref _flushRequests) > 0
            || count >= _options.MaxBatchRecords
            || Interlocked.Read(ref _queuedBytes) >= _options.MaxBatchBytes
            || Since(oldest.EnqueuedAt) >= _options.MaxBatchAge;
    }

    private async Task WaitForWorkAsync(CancellationToken cancellationToken)
    {
        var wait = IdleWait;
        if (_queue.TryPeek(out var oldest))
        {
            var remaining = _options.MaxBatchAge - Since(oldest.EnqueuedAt);
            wait = remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining;
        }

        if (_parked.Count > 0)
        {
            var due = _parked.Min(p => p.Due);
            var untilDue = TimeSpan.FromSeconds(Math.Max(0, (double)(due - _clock.GetTimestamp()) / _clock.TimestampFrequency));
            wait = untilDue < wait ? untilDue : wait;
        }

        if (wait > TimeSpan.Zero)
        {
            await _drainSignal.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TakeDueParked(List<OutboxRecord> batch)
    {
        if (_parked.Count == 0)
        {
            return false;
        }

        var now = _clock.GetTimestamp();
        for (var i = 0; i < _parked.Count && batch.Count < _options.MaxBatchRecords; i++)
        {
            if (_parked[i].Due <= now)
            {
                batch.Add(_parked[i].Record);
                _parked.RemoveAt(i--);
            }
        }

        UpdateParkedState();
        return batch.Count > 0;
    }

    /// <summary>
    /// Lands a batch, isolating refused rows by splitting it: halves land separately until the bad row stands alone
    /// and goes to the dead-letter table. Returns the records left unsaved by an outage (in order); empty when all
    /// are saved, dead-lettered or waiting for a parent.
    /// </summary>
    private async Task<List<OutboxRecord>> LandAsync(List<OutboxRecord> batch, CancellationToken cancellationToken)
    {
        var pending = new Stack<(int Start, int Count)>();
        pending.Push((0, batch.Count));
        var anyLanded = false;
        while (pending.Count > 0)
        {
            var (start, count) = pending.Pop();
            var slice = batch.GetRange(start, count);
            var firstAttempt = slice.Exists(r => r.IsFirstAttempt);
            try
            {
                var waiting = await _lander.LandAsync(slice, cancellationToken).ConfigureAwait(false);
                await CompletedAsync(slice, waiting, cancellationToken).ConfigureAwait(false);
                anyLanded = true;
                continue;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Unsaved(batch, start);
            }
            catch (Exception ex)
            {
                _lastFailure = PostgresErrors.Describe(ex);
                var disposition = PostgresErrors.Classify(ex);
                if (disposition == ErrorDisposition.Transient)
                {
                    // After a restart every pooled connection is dead: drop them at once instead of failing one by one.
                    _dataSources.Pooled.Clear();
                    return Unsaved(batch, start);
                }

                if (disposition == ErrorDisposition.SchemaNotReady)
                {
                    OutboxLog.SchemaNotReady(_logger, _lastFailure);
                    return Unsaved(batch, start);
                }

                if (firstAttempt && ex is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
                {
                    // A first landing may skip what only a replay needs (RecordKind<T>.FirstLandingSql); the records
                    // are marked as tried now, so the same slice lands again the replay-safe way before any split.
                    pending.Push((start, count));
                    continue;
                }

                if (count > 1)
                {
                    var half = count / 2;
                    pending.Push((start + half, count - half));
                    pending.Push((start, half));
                    continue;
                }

                if (disposition == ErrorDisposition.Fatal && !anyLanded && batch.Count == 1 && slice[0].ParentWaits == 0 && !_stopping)
                {
                    // Neither an outage nor provably this row: hold rather than discard.
                    OutboxLog.Unexpected(_logger, _lastFailure, _options.RetryDelay);
                    return Unsaved(batch, start);
                }

                var sqlState = (ex as Npgsql.PostgresException)?.SqlState;
                if (!await DeadLetterAsync(slice[0], sqlState, _lastFailure, cancellationToken).ConfigureAwait(false))
                {
                    return Unsaved(batch, start);
                }
            }
        }

        return [];
    }

    /// <summary>
    /// Slices land left to right, so when one fails for an outage everything before it is settled and the unsaved
    /// records are exactly the suffix from it on.
    /// </summary>
    private static List<OutboxRecord> Unsaved(List<OutboxRecord> batch, int start) => batch.GetRange(start, batch.Count - start);

    private async Task CompletedAsync(List<OutboxRecord> slice, IReadOnlyList<OutboxRecord> waiting, CancellationToken cancellationToken)
    {
        var waitingIds = waiting.Count == 0 ? null : waiting.Select(r => r.Id).ToHashSet();
        var landed = 0;
        FlushEpoch? epoch = null;
        var epochCount = 0;
        foreach (var record in slice)
        {
            if (waitingIds is not null && waitingIds.Contains(record.Id))
            {
                continue;
            }

            // Epochs change only at a flush, so a batch finishes in a handful of atomic operations, not one per record:
            // the recording thread increments the same counter.
            if (!ReferenceEquals(record.Epoch, epoch))
            {
                epoch?.Finish(epochCount);
                epoch = record.Epoch;
                epochCount = 0;
            }

            epochCount++;
            record.Epoch = null;
            _spill?.Finished(record);
            record.OnLanded();
            landed++;
        }

        epoch?.Finish(epochCount);

        Counters.PersistedMany(landed);
        foreach (var record in waiting)
        {
            await ParkAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ParkAsync(OutboxRecord record, CancellationToken cancellationToken)
    {
        var now = _clock.GetTimestamp();
        if (record.WaitingSince == 0)
        {
            record.WaitingSince = now;
        }

        if (_clock.GetElapsedTime(record.WaitingSince) >= _options.ParentWaitTimeout)
        {
            var reason = $"its parent row never arrived (waited {_options.ParentWaitTimeout})";
            if (!await DeadLetterAsync(record, null, reason, cancellationToken).ConfigureAwait(false))
            {
                _parked.Add((record, now + (long)(MaxParentRetryDelay.TotalSeconds * _clock.TimestampFrequency)));
            }

            UpdateParkedState();
            return;
        }

        var delay = TimeSpan.FromMilliseconds(Math.Min(MaxParentRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, record.ParentWaits++)));
        _parked.Add((record, now + (long)(delay.TotalSeconds * _clock.TimestampFrequency)));
        UpdateParkedState();
    }

    /// <summary>Dead-letters one record; false when the database could not take it (an outage): the caller keeps it.</summary>
    private async Task<bool> DeadLetterAsync(OutboxRecord record, string? sqlState, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await _lander.DeadLetterAsync(record, sqlState, reason, cancellationToken).ConfigureAwait(false);
            Counters.DeadLetteredOne();
            OutboxLog.DeadLettered(_logger, record.KindName, record.Id, sqlState, reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (PostgresErrors.Classify(ex) is ErrorDisposition.Transient or ErrorDisposition.SchemaNotReady)
            {
                return false;
            }

            Counters.Dropped(OutboxCounters.DeadLetterFailed, 1);
            OutboxLog.DeadLetterFailed(_logger, record.KindName, record.Id, PostgresErrors.Describe(ex));
        }

        Finish(record);
        record.OnAbandoned();
        return true;
    }

    private void Finish(OutboxRecord record)
    {
        record.Epoch?.Finish();
        record.Epoch = null;
        _spill?.Finished(record);
    }

    /// <summary>Keeps unsaved records for the next attempt: spilled ones are re-read, others retried first.</summary>
    private void PutBack(List<OutboxRecord> unsaved)
    {
        var fromSpill = unsaved.TakeWhile(r => r.Origin is SpillSegment && r.ParentWaits == 0).ToList();
        if (fromSpill.Count > 0)
        {
            _spill!.Rewind(fromSpill);
        }

        _retry.InsertRange(0, unsaved.Skip(fromSpill.Count));
        UpdateRetryState();
    }

    private void MoveRetryToSpillIfOutageLasts()
    {
        if (_spill is null || _retry.Count == 0 || _clock.GetElapsedTime(Interlocked.Read(ref _outageSince)) < _options.SpillAfter)
        {
            return;
        }

        // Records that came from the spill and are waiting for a parent stay in memory: their segment is kept.
        var movable = _retry.Where(r => r.Origin is null).ToList();
        var written = AppendToSpill(movable);
        var moved = movable.Take(written).ToHashSet();
        _retry.RemoveAll(moved.Contains);
        UpdateRetryState();
    }

    private int AppendToSpill(IReadOnlyList<OutboxRecord> records)
    {
        if (_spill is null || records.Count == 0)
        {
            return 0;
        }

        if (Interlocked.Read(ref _spillOldest) == 0)
        {
            Interlocked.Exchange(ref _spillOldest, records.Min(r => r.EnqueuedAt));
        }

        return _spill.Append(records);
    }

    private void UpdateRetryState()
    {
        _retryCount = _retry.Count;
        Interlocked.Exchange(ref _retryOldest, _retry.Count == 0 ? 0 : _retry.Min(r => r.EnqueuedAt));
    }

    private void UpdateParkedState()
    {
        _parkedCount = _parked.Count;
        Interlocked.Exchange(ref _parkedOldest, _parked.Count == 0 ? 0 : _parked.Min(p => p.Record.EnqueuedAt));
    }

    private async Task SpillLoopAsync(CancellationToken cancellationToken)
    {
        if (_spill is null)
        {
            return;
        }

        var buffer = new List<OutboxRecord>(SpillChunk);
        var fullAt = long.MaxValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            await _spillSignal.WaitAsync(_options.SpillFsyncInterval, cancellationToken).ConfigureAwait(false);
            // After the spill ran out of room, try again only once the drain has freed some.
            while (ShouldSpill() && _spill.Bytes < fullAt && !cancellationToken.IsCancellationRequested)
            {
                buffer.Clear();
                // Small chunks: what does not fit on disk goes back to memory, so memory overshoots its hard cap by
                // at most one chunk.
                if (Dequeue(buffer, _overflow, SpillChunk, long.MaxValue) == 0 && Dequeue(buffer, _queue, SpillChunk, long.MaxValue) == 0)
                {
                    break;
                }

                var written = AppendToSpill(buffer);
                fullAt = written < buffer.Count ? _spill.Bytes : long.MaxValue;
                if (written < buffer.Count)
                {
                    // No room on disk: keep the rest in order, ahead of newer records.
                    foreach (var record in buffer.Skip(written))
                    {
                        _overflow.Enqueue(record);
                    }

                    Interlocked.Add(ref _queuedCount, buffer.Count - written);
                    Interlocked.Add(ref _queuedBytes, buffer.Skip(written).Sum(r => (long)r.EstimatedBytes));
                    break;
                }
            }

            _spill.Sync(force: false);
        }
    }

    private bool ShouldSpill() =>
        Interlocked.Read(ref _queuedCount) > _options.MaxQueuedRecords
        || Interlocked.Read(ref _queuedBytes) > _options.MaxQueuedBytes
        || (_outage && _clock.GetElapsedTime(Interlocked.Read(ref _outageSince)) >= _options.SpillAfter);

    /// <summary>After the drain stopped: everything not saved goes to disk for the next process on this folder.</summary>
    private void SpillLeftovers()
    {
        var leftovers = new List<OutboxRecord>();
        leftovers.AddRange(_retry.Where(r => r.Origin is null));
        _retry.Clear();
        leftovers.AddRange(_parked.Select(p => p.Record).Where(r => r.Origin is null));
        _parked.Clear();
        Dequeue(leftovers, _overflow, int.MaxValue, long.MaxValue);
        Dequeue(leftovers, _queue, int.MaxValue, long.MaxValue);
        var spilled = 0;
        if (_spill is not null && leftovers.Count > 0)
        {
            spilled = _spill.Append(leftovers);
        }

        _spill?.Sync(force: true);
        if (leftovers.Count > spilled)
        {
            Counters.Dropped(OutboxCounters.Shutdown, leftovers.Count - spilled);
        }

        UpdateRetryState();
        UpdateParkedState();
        OutboxLog.Stopped(_logger, leftovers.Count, spilled);
    }
}

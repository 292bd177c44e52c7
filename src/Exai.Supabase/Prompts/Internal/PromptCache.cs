using System.Collections.Frozen;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// The in-process mirror of the active prompts and the resolved answer of every lookup, held in an immutable
/// <see cref="PromptSnapshot"/> that lookups read without a lock. One background loop keeps it current: a full load
/// at start, a reload of a tool when the change feed reports it (or this instance changed it), a full refresh
/// after the feed reconnects and every <see cref="PromptOptions.RefreshInterval"/> as a safety net. The loop is the
/// only writer of the mirror, so refreshes are applied in the order they were read. While the database is down the
/// last snapshot keeps answering; before anything was loaded the code fallbacks do.
/// </summary>
/// <remarks>
/// <see cref="Microsoft.Extensions.Caching.Memory.IMemoryCache"/> would box a struct key (or need a concatenated
/// string) and take its own locks on every lookup; frozen dictionaries behind one volatile reference cost tens of
/// nanoseconds and nothing on the heap.
/// </remarks>
internal sealed class PromptCache : IPromptChangeSink, IAsyncDisposable, IDisposable
{
    private readonly PromptRepository _repository;
    private readonly SchemaReadiness _readiness;
    private readonly IPromptChangeFeed _feed;
    private readonly PromptOptions _options;
    private readonly FrozenDictionary<PromptKey, PromptFallback> _fallbacks;
    private readonly ILogger _logger;

    // Scheduling runs on real time: an application's fake clock must not stall refreshes.
    private readonly TimeProvider _clock = TimeProvider.System;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();

    private PromptSnapshot _snapshot = PromptSnapshot.Empty;

    // Pending work, guarded by _gate; taken as a whole by each refresh cycle.
    private bool _dirtyAll = true;
    private HashSet<string> _dirtyTools = new(StringComparer.Ordinal);
    private List<TaskCompletionSource<bool>> _waiters = [];

    private Task _refreshTask = Task.CompletedTask;
    private Task _feedTask = Task.CompletedTask;
    private int _started;
    private int _stopped;
    private volatile string? _databaseProblem;
    private long _downSince;

    public PromptCache(
        PromptRepository repository,
        IPromptChangeFeed feed,
        SchemaReadiness readiness,
        IOptions<ExaiSupabaseOptions> options,
        ILogger<PromptCache> logger)
    {
        _repository = repository;
        _readiness = readiness;
        _feed = feed;
        _options = options.Value.Prompts;
        _fallbacks = PromptChain.Index(_options.Fallbacks);
        _logger = logger;
        Enabled = _options.CacheEnabled;
    }

    public bool Enabled { get; }

    public TimeSpan LoadTimeout => _options.LoadTimeout;

    /// <summary>The current snapshot; lookups probe it with <see cref="PromptSnapshot.TryGet"/>.</summary>
    public PromptSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>Why the last refresh failed; <see langword="null"/> while the database answers.</summary>
    public string? DatabaseProblem => _databaseProblem;

    /// <summary>Starts the refresh loop and the change feed once (off the calling flow: they run in the service scope).</summary>
    public void EnsureStarted()
    {
        if (!Enabled || Volatile.Read(ref _started) == 1)
        {
            return;
        }

        lock (_gate)
        {
            if (_started == 1 || Volatile.Read(ref _stopped) == 1)
            {
                return;
            }

            // The ambient user scope of whoever triggered the start must not leak into the background work.
            using (ExecutionContext.SuppressFlow())
            {
                // A start-up migration that completes ends any wait for the schema at once.
                _ = _readiness.WhenReadyAsync(_stop.Token).ContinueWith(static (_, self) => ((PromptCache)self!).Signal(), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                _refreshTask = Task.Run(() => RefreshLoopAsync(_stop.Token), CancellationToken.None);
                if (_options.ListenForChanges)
                {
                    _feedTask = Task.Run(() => RunFeedAsync(_stop.Token), CancellationToken.None);
                }
            }

            Volatile.Write(ref _started, 1);
        }
    }

    /// <summary>The lookup when the snapshot has no answer yet (or the cache is disabled).</summary>
    public async ValueTask<ResolvedPrompt> ResolveSlowAsync(string tool, string provider, CancellationToken cancellationToken)
    {
        InputGuard.Required(tool, nameof(tool), Limits.NameLength);
        InputGuard.Required(provider, nameof(provider), Limits.NameLength);
        var key = new PromptKey(tool, provider);
        if (!Enabled)
        {
            return await ResolveUncachedAsync(key, cancellationToken).ConfigureAwait(false);
        }

        EnsureStarted();
        var waited = false;
        while (true)
        {
            var snapshot = Snapshot;
            if (snapshot.Entries.TryGetValue(key, out var entry))
            {
                return entry.GetOrThrow(key);
            }

            if (snapshot.Loaded)
            {
                return Remember(key).GetOrThrow(key);
            }

            var problem = _databaseProblem;
            if (problem is not null || waited)
            {
                // Nothing loaded and the database cannot answer: the code fallbacks can. A found fallback is kept
                // (the first full load replaces it); a miss is not, the database may answer the next lookup.
                return Remember(key, problem ?? $"the first load did not complete within {_options.LoadTimeout.TotalSeconds:0.###} s").GetOrThrow(key);
            }

            try
            {
                await _firstAttempt.Task.WaitAsync(_options.LoadTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            waited = true;
        }
    }

    /// <summary>
    /// Asks the loop to reload <paramref name="tool"/> and waits (at most <see cref="PromptOptions.LoadTimeout"/>)
    /// for a refresh that started after the call. Returns whether it succeeded in time.
    /// </summary>
    public async Task<bool> RefreshToolAsync(string tool, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return true;
        }

        EnsureStarted();
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _dirtyTools.Add(tool);
            _waiters.Add(done);
        }

        Signal();
        try
        {
            return await done.Task.WaitAsync(_options.LoadTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Changed(string tool, string provider)
    {
        PromptsLog.ChangeNotified(_logger, tool, provider);
        lock (_gate)
        {
            _dirtyTools.Add(tool);
        }

        Signal();
    }

    public void Resync()
    {
        lock (_gate)
        {
            _dirtyAll = true;
        }

        Signal();
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_refreshTask, _feedTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                waiter.TrySetResult(false);
            }

            _waiters.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_refreshTask.IsCompleted && _feedTask.IsCompleted)
        {
            _stop.Dispose();
            _signal.Dispose();
        }
    }

    /// <summary>
    /// For containers disposed synchronously: stops the loops without waiting for them (they end at their next
    /// await). <see cref="DisposeAsync"/> is preferred.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
    }

    private void Signal()
    {
        // One pending release is enough: the loop takes all pending work at once.
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private async Task RunFeedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _feed.RunAsync(this, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The answer for <paramref name="key"/> from the current snapshot's rows (or, with <paramref name="problem"/>,
    /// from the code fallbacks alone), added to the snapshot's entries when it may be kept.
    /// </summary>
    private PromptEntry Remember(PromptKey key, string? problem = null)
    {
        lock (_gate)
        {
            var snapshot = _snapshot;
            if (snapshot.Entries.TryGetValue(key, out var known))
            {
                return known;
            }

            var loaded = snapshot.Loaded;
            var entry = PromptChain.Resolve(key, loaded ? snapshot.Active : null, _fallbacks, problem);
            var keep = (loaded || entry.Prompt is not null) && snapshot.Entries.Count < _options.MaxCachedLookups;
            if (keep)
            {
                var entries = new Dictionary<PromptKey, PromptEntry>(snapshot.Entries) { [key] = entry };
                Volatile.Write(ref _snapshot, new PromptSnapshot(snapshot.Active, entries.ToFrozenDictionary(), loaded));
            }

            return entry;
        }
    }

    /// <summary>
    /// A loaded snapshot of <paramref name="active"/> with every entry worth having resolved again: the keys looked up
    /// so far, every active row's and every fallback's. An answer that did not change keeps its instance, so callers
    /// holding one see the same object until the prompt really changes.
    /// </summary>
    private PromptSnapshot Publishable(FrozenDictionary<PromptKey, ActivePrompt> active, FrozenDictionary<PromptKey, PromptEntry> previous)
    {
        var keys = new HashSet<PromptKey>(previous.Keys);
        keys.UnionWith(active.Keys);
        keys.UnionWith(_fallbacks.Keys);
        var entries = new Dictionary<PromptKey, PromptEntry>(Math.Min(keys.Count, _options.MaxCachedLookups));
        foreach (var key in keys)
        {
            if (entries.Count >= _options.MaxCachedLookups)
            {
                break;
            }

            var entry = PromptChain.Resolve(key, active, _fallbacks, databaseProblem: null);
            entries[key] = previous.TryGetValue(key, out var old) && old.SameAnswer(entry) ? old : entry;
        }

        return new PromptSnapshot(active, entries.ToFrozenDictionary(), loaded: true);
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectDelay;
        var lastFull = _clock.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            bool all;
            string[] tools;
            List<TaskCompletionSource<bool>> waiters;
            lock (_gate)
            {
                all = _dirtyAll;
                tools = [.. _dirtyTools];
                waiters = _waiters;
                _dirtyAll = false;
                _dirtyTools = new HashSet<string>(StringComparer.Ordinal);
                _waiters = [];
            }

            if (!all && tools.Length == 0 && waiters.Count == 0)
            {
                var untilFull = _options.RefreshInterval - _clock.GetElapsedTime(lastFull);
                try
                {
                    if (!await _signal.WaitAsync(untilFull > TimeSpan.Zero ? untilFull : TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
                    {
                        // The safety net behind the change feed.
                        lock (_gate)
                        {
                            _dirtyAll = true;
                        }
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            try
            {
                if (all || !Snapshot.Loaded)
                {
                    await LoadAllAsync(cancellationToken).ConfigureAwait(false);
                    lastFull = _clock.GetTimestamp();
                }
                else
                {
                    await LoadToolsAsync(tools, cancellationToken).ConfigureAwait(false);
                }

                if (_databaseProblem is not null)
                {
                    PromptsLog.Recovered(_logger, _clock.GetElapsedTime(Interlocked.Read(ref _downSince)));
                    _databaseProblem = null;
                }

                delay = _options.ReconnectDelay;
                _firstAttempt.TrySetResult();
                Complete(waiters, true);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Complete(waiters, false);
                return;
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _dirtyAll |= all || !Snapshot.Loaded;
                    _dirtyTools.UnionWith(tools);
                }

                var reason = PostgresErrors.Describe(ex);
                if (_databaseProblem is null)
                {
                    Interlocked.Exchange(ref _downSince, _clock.GetTimestamp());
                }

                _databaseProblem = $"the database is unreachable: {reason}";
                if (PostgresErrors.Classify(ex) is ErrorDisposition.Transient or ErrorDisposition.SchemaNotReady || ex is TimeoutException)
                {
                    PromptsLog.RefreshFailed(_logger, reason, delay);
                }
                else
                {
                    PromptsLog.RefreshError(_logger, delay, ex);
                }

                _firstAttempt.TrySetResult();
                Complete(waiters, false);
                try
                {
                    // Woken early by anything that suggests the database is back: the change feed reconnecting
                    // (it asks for a resync), the start-up migration completing, a manager's request.
                    await _signal.WaitAsync(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
    }

    private static void Complete(List<TaskCompletionSource<bool>> waiters, bool result)
    {
        foreach (var waiter in waiters)
        {
            waiter.TrySetResult(result);
        }
    }

    /// <summary>
    /// Reloads every active row: their headers first, then the text of versions this instance has not seen (or whose
    /// hash changed), so a safety refresh costs one index scan and usually nothing more.
    /// </summary>
    private async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        var started = _clock.GetTimestamp();
        var current = Snapshot.Active.Values.ToDictionary(a => a.Id);
        var headers = await _repository.ActiveHeadersAsync(cancellationToken).ConfigureAwait(false);
        var wanted = headers
            .Where(h => !current.TryGetValue(h.Id, out var known) || !string.Equals(known.ContentHash, h.ContentHash, StringComparison.Ordinal))
            .Select(h => h.Id)
            .ToArray();
        var texts = wanted.Length == 0
            ? []
            : await _repository.ContentsAsync(wanted, cancellationToken).ConfigureAwait(false);

        var active = new Dictionary<PromptKey, ActivePrompt>(headers.Count);
        var changedMeanwhile = new List<string>();
        foreach (var h in headers)
        {
            string? content = null;
            if (texts.TryGetValue(h.Id, out var text) && string.Equals(text.Hash, h.ContentHash, StringComparison.Ordinal))
            {
                content = text.Content;
            }
            else if (current.TryGetValue(h.Id, out var known) && string.Equals(known.ContentHash, h.ContentHash, StringComparison.Ordinal))
            {
                content = known.Content;
            }

            if (content is null)
            {
                // Changed between the two queries; the next cycle reloads the tool.
                changedMeanwhile.Add(h.Tool);
                continue;
            }

            var row = new ActivePrompt(h.Id, h.Tool, h.Provider, h.Tier, h.Version, h.ContentHash, content);
            active[row.Key] = row;
        }

        Publish(active.ToFrozenDictionary());
        if (changedMeanwhile.Count > 0)
        {
            lock (_gate)
            {
                _dirtyTools.UnionWith(changedMeanwhile);
            }

            Signal();
        }

        PromptsLog.Loaded(_logger, active.Count, wanted.Length, _clock.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Reloads the active rows of the given tools (every provider: a change of the base provider changes the answer for all).</summary>
    private async Task LoadToolsAsync(string[] tools, CancellationToken cancellationToken)
    {
        var rows = await _repository.ActiveForToolsAsync(tools, cancellationToken).ConfigureAwait(false);
        var reloaded = new HashSet<string>(tools, StringComparer.Ordinal);
        var active = new Dictionary<PromptKey, ActivePrompt>();
        foreach (var (key, row) in Snapshot.Active)
        {
            if (!reloaded.Contains(key.Tool))
            {
                active[key] = row;
            }
        }

        foreach (var row in rows)
        {
            active[row.Key] = row;
        }

        Publish(active.ToFrozenDictionary());
    }

    private void Publish(FrozenDictionary<PromptKey, ActivePrompt> active)
    {
        lock (_gate)
        {
            Volatile.Write(ref _snapshot, Publishable(active, _snapshot.Entries));
        }
    }

    private async Task<ResolvedPrompt> ResolveUncachedAsync(PromptKey key, CancellationToken cancellationToken)
    {
        Dictionary<PromptKey, ActivePrompt>? rows = null;
        string? problem = null;
        Exception? cause = null;
        try
        {
            rows = (await _repository.ActiveForAsync(key, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Key);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            problem = $"the database is unreachable: {PostgresErrors.Describe(ex)}";
            cause = ex;
            PromptsLog.LookupFellBack(_logger, key.Tool, key.Provider, PostgresErrors.Describe(ex));
        }

        return PromptChain.Resolve(key, rows, _fallbacks, problem).GetOrThrow(key, cause);
    }

    /// <summary>For diagnostics and tests: a stopwatch-free view of the state.</summary>
    public override string ToString()
    {
        var snapshot = Snapshot;
        return new System.Text.StringBuilder("PromptCache(")
            .Append(snapshot.Active.Count).Append(" active, ")
            .Append(snapshot.Entries.Count).Append(" entries, ")
            .Append(snapshot.Loaded ? "loaded" : "not loaded")
            .Append(_databaseProblem is null ? string.Empty : ", database down")
            .Append(')').ToString();
    }
}

using System.Diagnostics;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>The read side: one indexed query merged with the pending view, or this process's own view while the database is unreachable.</summary>
internal sealed partial class ConversationStore
{
    public async Task<IReadOnlyList<ConversationMessage>> GetHistoryAsync(string continuationId, CancellationToken cancellationToken = default)
    {
        var key = Key(continuationId);
        var snapshot = _pending.Snapshot(key);
        var now = Now();
        var (ok, stored, error) = await QueryAsync(token => _reader.HistoryAsync(continuationId, now, token), cancellationToken).ConfigureAwait(false);
        if (ok)
        {
            Remember(key, snapshot, stored!, complete: true);
            return Merge(stored!, snapshot);
        }

        return Merge(Fallback(key, snapshot, error).Messages, snapshot);
    }

    public async Task<IReadOnlyList<ConversationMessage>> GetLastAsync(string continuationId, int count, CancellationToken cancellationToken = default)
    {
        var key = Key(continuationId);
        CheckCount(count, nameof(count));
        var snapshot = _pending.Snapshot(key);
        var now = Now();
        var (ok, stored, error) = await QueryAsync(token => _reader.NewestAsync(continuationId, count, null, now, token), cancellationToken).ConfigureAwait(false);
        var merged = ok ? Merge(stored!, snapshot) : Merge(Fallback(key, snapshot, error).Messages, snapshot);
        if (ok)
        {
            Remember(key, snapshot, stored!, complete: stored!.Count < count);
        }

        return merged.Count <= count ? merged : merged.GetRange(merged.Count - count, count);
    }

    public async Task<ConversationPage> GetPageAsync(string continuationId, int pageSize, string? olderThan = null, CancellationToken cancellationToken = default)
    {
        var key = Key(continuationId);
        CheckCount(pageSize, nameof(pageSize));
        MessageCursor? cursor = olderThan is null ? null : MessageCursor.Parse(olderThan, nameof(olderThan));
        var snapshot = _pending.Snapshot(key);
        var now = Now();
        var (ok, stored, error) = await QueryAsync(token => _reader.NewestAsync(continuationId, pageSize + 1, cursor, now, token), cancellationToken).ConfigureAwait(false);
        List<ConversationMessage> merged;
        if (ok)
        {
            if (cursor is null)
            {
                Remember(key, snapshot, stored!, complete: stored!.Count <= pageSize);
            }

            merged = Merge(stored!, snapshot);
        }
        else
        {
            merged = Merge(Fallback(key, snapshot, error).Messages, snapshot);
        }

        if (cursor is { } before)
        {
            merged.RemoveAll(m => !before.IsAfter(m));
        }

        var hasOlder = merged.Count > pageSize;
        var page = hasOlder ? merged.GetRange(merged.Count - pageSize, pageSize) : merged;
        return new ConversationPage(page, hasOlder ? MessageCursor.Of(page[0]).ToString() : null, FromLocalView: !ok);
    }

    public async Task<IReadOnlyList<ConversationMessage>> GetWithinTokenBudgetAsync(string continuationId, int maxTokens, CancellationToken cancellationToken = default)
    {
        var key = Key(continuationId);
        if (maxTokens <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), maxTokens, "maxTokens must be positive.");
        }

        var snapshot = _pending.Snapshot(key);
        var now = Now();
        var stored = new List<ConversationMessage>();
        var storedTokens = 0L;
        var chunk = BudgetChunk;
        MessageCursor? cursor = null;
        while (true)
        {
            var (ok, rows, error) = await QueryAsync(token => _reader.NewestAsync(continuationId, chunk, cursor, now, token), cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                return WithinBudget(Merge(Fallback(key, snapshot, error).Messages, snapshot), maxTokens);
            }

            if (cursor is null)
            {
                Remember(key, snapshot, rows!, complete: rows!.Count < chunk);
            }

            // Rows come oldest first; the chunks go back in time.
            stored.InsertRange(0, rows!);
            foreach (var row in rows!)
            {
                storedTokens += row.EffectiveTokens;
            }

            // Once the stored turns alone exceed the budget, the newest turns that fit lie within them.
            if (rows.Count < chunk || storedTokens > maxTokens)
            {
                break;
            }

            cursor = MessageCursor.Of(rows[0]);
            chunk = Math.Min(chunk * 2, MaxBudgetChunk);
        }

        return WithinBudget(Merge(stored, snapshot), maxTokens);
    }

    public Task<IReadOnlyList<ConversationThread>> GetSessionThreadsAsync(Guid sessionId, int limit = 50, CancellationToken cancellationToken = default) =>
        ThreadsAsync(ConversationSql.SessionThreads, sessionId, nameof(sessionId), limit, r => r.SessionId == sessionId, cancellationToken);

    public Task<IReadOnlyList<ConversationThread>> GetUserThreadsAsync(Guid userId, int limit = 50, CancellationToken cancellationToken = default) =>
        ThreadsAsync(ConversationSql.UserThreads, userId, nameof(userId), limit, r => (r.OwnerUserId ?? r.ScopeUserId) == userId, cancellationToken);

    public async Task<IReadOnlyList<ConversationFile>> GetFilesAsync(string continuationId, CancellationToken cancellationToken = default)
    {
        var key = Key(continuationId);
        var snapshot = _pending.Snapshot(key);
        var now = Now();
        var (ok, stored, error) = await QueryAsync(token => _reader.FilesAsync(continuationId, now, token), cancellationToken).ConfigureAwait(false);
        List<ConversationFile> files;
        if (ok)
        {
            files = snapshot.DeletedAt is { } deletedAt ? stored!.Where(f => f.LinkedAt > deletedAt).ToList() : stored!;
        }
        else
        {
            if (snapshot.Messages.Length == 0)
            {
                throw Unavailable(continuationId, error);
            }

            files = [];
        }

        foreach (var message in snapshot.Messages)
        {
            foreach (var fileId in message.FileIds ?? [])
            {
                if (!files.Exists(f => f.FileId == fileId))
                {
                    files.Add(new ConversationFile(fileId, message.Id, message.RecordedAt, IsPending: true));
                }
            }
        }

        return files;
    }

    /// <summary>The newest turns of <paramref name="ascending"/> that fit the budget, oldest first, stopping at the first that does not.</summary>
    internal static List<ConversationMessage> WithinBudget(List<ConversationMessage> ascending, int maxTokens)
    {
        var total = 0L;
        var start = ascending.Count;
        while (start > 0 && total + ascending[start - 1].EffectiveTokens <= maxTokens)
        {
            total += ascending[--start].EffectiveTokens;
        }

        return ascending.GetRange(start, ascending.Count - start);
    }

    private static void CheckCount(int count, string parameterName)
    {
        if (count is < 1 or > ConversationLimits.MaxMessagesPerRead)
        {
            throw new ArgumentOutOfRangeException(parameterName, count, $"{parameterName} must be between 1 and {ConversationLimits.MaxMessagesPerRead}.");
        }
    }

    /// <summary>
    /// The thread as this process last knew it while the database cannot be asked: its row if it was read, else what
    /// its cached turns tell (id, first and last activity; no title, session or metadata).
    /// </summary>
    private ConversationThread? FromCache(ThreadKey key)
    {
        if (_cache.Get(key) is not { } cached)
        {
            return null;
        }

        if (cached.Thread is { } thread)
        {
            return cached.Messages.Count > 0 && cached.Messages[^1].CreatedAt > thread.LastActivityAt
                ? thread with { LastActivityAt = cached.Messages[^1].CreatedAt }
                : thread;
        }

        if (cached.Messages.Count == 0)
        {
            return null;
        }

        return new ConversationThread
        {
            Id = ThreadIds.For(key.ContinuationId),
            ContinuationId = key.ContinuationId,
            UserId = key.UserId,
            CreatedAt = cached.Messages[0].CreatedAt,
            LastActivityAt = cached.Messages[^1].CreatedAt,
        };
    }

    /// <summary>Stored turns (minus those a pending delete hides) and pending turns, deduplicated and in order.</summary>
    private static List<ConversationMessage> Merge(IReadOnlyList<ConversationMessage> stored, PendingSnapshot snapshot)
    {
        var merged = new List<ConversationMessage>(stored.Count + snapshot.Messages.Length);
        if (snapshot.DeletedAt is { } deletedAt)
        {
            foreach (var message in stored)
            {
                if (message.CreatedAt > deletedAt)
                {
                    merged.Add(message);
                }
            }
        }
        else
        {
            merged.AddRange(stored);
        }

        if (snapshot.Messages.Length == 0)
        {
            return merged;
        }

        HashSet<Guid>? storedIds = null;
        if (merged.Count > 0)
        {
            storedIds = new HashSet<Guid>(merged.Count);
            foreach (var message in merged)
            {
                storedIds.Add(message.Id);
            }
        }

        var sorted = true;
        foreach (var record in snapshot.Messages)
        {
            if (storedIds?.Contains(record.Id) == true)
            {
                continue;
            }

            var message = PendingTurns.ToMessage(record, pending: true);
            if (merged.Count > 0 && MessageOrder.Ascending(merged[^1], message) > 0)
            {
                sorted = false;
            }

            merged.Add(message);
        }

        if (!sorted)
        {
            merged.Sort(MessageOrder.Ascending);
        }

        return merged;
    }

    private async Task<IReadOnlyList<ConversationThread>> ThreadsAsync(
        string sql, Guid owner, string parameterName, int limit, Func<ConversationRecord, bool> match, CancellationToken cancellationToken)
    {
        InputGuard.NotEmpty(owner, parameterName);
        if (limit is < 1 or > ConversationLimits.MaxThreadsPerList)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be between 1 and {ConversationLimits.MaxThreadsPerList}.");
        }

        var scope = ExaiScope.Current;
        var pending = _pending.PendingThreads(r => r.ScopeUserId == scope.UserId && match(r));
        var now = Now();
        var (ok, stored, error) = await QueryAsync(token => _reader.ThreadsAsync(sql, owner, limit, now, token), cancellationToken).ConfigureAwait(false);
        if (!ok)
        {
            throw Unavailable($"the threads of {owner}", error);
        }

        if (pending.Count == 0)
        {
            return stored!;
        }

        var threads = stored!;
        foreach (var record in pending)
        {
            if (!threads.Exists(t => t.ContinuationId == record.ContinuationId))
            {
                threads.Add(FromRecord(record));
            }
        }

        threads.Sort((a, b) => b.LastActivityAt.CompareTo(a.LastActivityAt));
        return threads.Count <= limit ? threads : threads.GetRange(0, limit);
    }

    private void Remember(ThreadKey key, PendingSnapshot snapshot, List<ConversationMessage> stored, bool complete)
    {
        if (snapshot.DeletedAt is null)
        {
            var window = stored.Count <= _options.CachedMessagesPerThread
                ? stored
                : stored.GetRange(stored.Count - _options.CachedMessagesPerThread, _options.CachedMessagesPerThread);
            _cache.StoreNewest(key, window, complete && window.Count == stored.Count, snapshot.MessageIds());
        }

        _pending.Reconcile(key, snapshot, stored);
    }

    private static ConversationUnavailableException Unavailable(string what, Exception? error) =>
        new($"The database is unreachable ({(error is null ? "recent failure" : PostgresErrors.Describe(error))}) and this process holds nothing of '{what}' to serve instead.", error);

    private void EnterOutage(string reason)
    {
        Interlocked.Exchange(ref _outageUntil, Stopwatch.GetTimestamp() + (long)(_options.OutageProbeInterval.TotalSeconds * Stopwatch.Frequency));
        if (Interlocked.Exchange(ref _inOutage, 1) == 0)
        {
            ConversationsLog.ServingLocalView(_logger, reason);
        }
    }

    /// <summary>What this process holds of a thread while the database cannot be read; throws when it holds nothing.</summary>
    private (IReadOnlyList<ConversationMessage> Messages, bool Complete) Fallback(ThreadKey key, PendingSnapshot snapshot, Exception? error)
    {
        var cached = snapshot.DeletedAt is null ? _cache.Get(key) : null;
        if (cached is { } entry && (entry.Messages.Count > 0 || entry.Thread is not null || entry.Complete))
        {
            return (entry.Messages, entry.Complete);
        }

        if (snapshot.Messages.Length > 0 || snapshot.Thread is not null || snapshot.DeletedAt is not null)
        {
            return ([], false);
        }

        ConversationsLog.NothingToServe(_logger);
        throw Unavailable(key.ContinuationId, error);
    }

    /// <summary>
    /// Runs a read with the read timeout. A transient failure (or the timeout) opens an outage window during which
    /// reads go straight to this process's view; the first read after it tries the database again.
    /// </summary>
    private async Task<(bool Ok, T? Value, Exception? Error)> QueryAsync<T>(Func<CancellationToken, Task<T>> query, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _inOutage) == 1 && Stopwatch.GetTimestamp() < Interlocked.Read(ref _outageUntil))
        {
            return (false, default, null);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ReadTimeout);
        try
        {
            var value = await query(timeout.Token).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _inOutage, 0) == 1)
            {
                ConversationsLog.DatabaseBack(_logger);
            }

            return (true, value, null);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            EnterOutage("the read timed out");
            return (false, default, ex);
        }
        catch (Exception ex) when (PostgresErrors.Classify(ex) is ErrorDisposition.Transient or ErrorDisposition.SchemaNotReady)
        {
            if (PostgresErrors.IsTransient(ex))
            {
                _dataSources.Pooled.Clear();
            }

            EnterOutage(PostgresErrors.Describe(ex));
            return (false, default, ex);
        }
    }
}

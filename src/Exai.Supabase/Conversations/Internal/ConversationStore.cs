using System.Diagnostics;
using System.Text.Json.Nodes;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// <see cref="IConversationStore"/>: writes are validated, tracked in <see cref="PendingTurns"/> and recorded in the
/// outbox (no I/O); reads query the database in the current scope and merge the pending view, or — while the
/// database is unreachable — serve <see cref="ThreadHistoryCache"/> plus the pending view.
/// </summary>
internal sealed class ConversationStore : IConversationStore
{
    private const int BudgetChunk = 64;
    private const int MaxBudgetChunk = 1_024;

    private readonly OutboxProcessor _outbox;
    private readonly PendingTurns _pending;
    private readonly ThreadHistoryCache _cache;
    private readonly ConversationReader _reader;
    private readonly ExaiDataSources _dataSources;
    private readonly TimeProvider _time;
    private readonly ConversationOptions _options;
    private readonly ILogger _logger;
    private long _outageUntil;
    private int _inOutage;

    public ConversationStore(
        OutboxProcessor outbox,
        PendingTurns pending,
        ThreadHistoryCache cache,
        ConversationReader reader,
        ExaiDataSources dataSources,
        TimeProvider time,
        IOptions<ExaiSupabaseOptions> options,
        ILogger<ConversationStore> logger)
    {
        _outbox = outbox;
        _pending = pending;
        _cache = cache;
        _reader = reader;
        _dataSources = dataSources;
        _time = time;
        _options = options.Value.Conversations;
        _logger = logger;
    }

    public async ValueTask<ConversationThread> GetOrCreateAsync(string continuationId, ConversationThreadDetails? details = null, CancellationToken cancellationToken = default)
    {
        ContinuationIds.Validate(continuationId, nameof(continuationId));
        var scope = ExaiScope.Current;
        var checkedDetails = details is null ? null : ValidatedDetails.From(details, scope);
        var key = new ThreadKey(scope.UserId, continuationId);
        var snapshot = _pending.Snapshot(key);
        var now = Now();
        var (ok, stored, _) = await QueryAsync(token => _reader.ThreadAsync(continuationId, now, token), cancellationToken).ConfigureAwait(false);

        ConversationThread? known;
        if (ok)
        {
            known = stored is not null && (snapshot.DeletedAt is not { } deletedAt || stored.LastActivityAt > deletedAt) ? stored : null;
            if (known is not null)
            {
                _cache.StoreThread(key, known);
            }
        }
        else
        {
            known = snapshot.DeletedAt is null ? FromCache(key) : null;
        }

        known ??= snapshot.Thread is { } pendingThread ? FromRecord(pendingThread) : null;
        if (known is null)
        {
            RecordThread(continuationId, checkedDetails, scope, now);
            return NewThread(continuationId, checkedDetails, scope, now);
        }

        if (checkedDetails is not null)
        {
            if (checkedDetails.Session is not null)
            {
                _outbox.Record(checkedDetails.SessionRecord(scope, now));
            }

            if (checkedDetails.Fills(known))
            {
                // The record carries the thread as it will be, so a pending view of it (replacing an earlier pending
                // creation) loses nothing; the upsert keeps existing values anyway.
                known = checkedDetails.Apply(known);
                RecordThread(continuationId, ValidatedDetails.Of(known), scope, now, recordSession: false);
            }
        }

        return known;
    }

    public Guid Append(string continuationId, ConversationTurn turn)
    {
        ContinuationIds.Validate(continuationId, nameof(continuationId));
        ArgumentNullException.ThrowIfNull(turn);
        var scope = ExaiScope.Current;
        var now = Now();
        var record = BuildMessage(continuationId, turn, scope, now);
        Record(record);
        return record.Id;
    }

    public IReadOnlyList<Guid> AppendRange(string continuationId, IEnumerable<ConversationTurn> turns)
    {
        ContinuationIds.Validate(continuationId, nameof(continuationId));
        ArgumentNullException.ThrowIfNull(turns);
        var scope = ExaiScope.Current;
        var now = Now();
        var records = new List<MessageRecord>();
        foreach (var turn in turns)
        {
            if (turn is null)
            {
                throw new ArgumentNullException(nameof(turns), "A turn is null.");
            }

            records.Add(BuildMessage(continuationId, turn, scope, now));
        }

        var ids = new Guid[records.Count];
        for (var i = 0; i < records.Count; i++)
        {
            Record(records[i]);
            ids[i] = records[i].Id;
        }

        return ids;
    }

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

    public void Delete(string continuationId)
    {
        ContinuationIds.Validate(continuationId, nameof(continuationId));
        var scope = ExaiScope.Current;
        var now = Now();
        var record = new ConversationDeleteRecord
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            RecordedAt = now,
            ScopeUserId = scope.UserId,
            ScopeClaims = scope.ClaimsJson,
            ContinuationId = continuationId,
        };
        _pending.Track(record);
        _outbox.Record(record);
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

    private static ConversationThread FromRecord(ConversationRecord record) => new()
    {
        Id = record.ThreadId,
        ContinuationId = record.ContinuationId,
        SessionId = record.SessionId,
        UserId = record.OwnerUserId ?? record.ScopeUserId,
        ParentContinuationId = record.ParentContinuationId,
        Title = record.Title,
        ToolName = record.ToolName,
        Provider = record.Provider,
        Model = record.Model,
        MetadataJson = record.Metadata == "{}" ? null : record.Metadata,
        CreatedAt = record.RecordedAt,
        LastActivityAt = record.RecordedAt,
        IsPending = true,
    };

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

    private ThreadKey Key(string continuationId)
    {
        ContinuationIds.Validate(continuationId, nameof(continuationId));
        return new ThreadKey(ExaiScope.Current.UserId, continuationId);
    }

    private DateTimeOffset Now() => MessageOrder.ToMicroseconds(_time.GetUtcNow());

    private void Record(MessageRecord record)
    {
        // Tracked before it is queued, so its landing (which may follow at once on the drain thread) finds it.
        _pending.Track(record);
        _outbox.Record(record);
        if (record.FileIds is { } files)
        {
            foreach (var fileId in files)
            {
                _outbox.Record(new ConversationFileRecord
                {
                    Id = UuidV7.NewId(record.RecordedAt.ToUnixTimeMilliseconds()),
                    RecordedAt = record.RecordedAt,
                    ScopeUserId = record.ScopeUserId,
                    ScopeClaims = record.ScopeClaims,
                    ContinuationId = record.ContinuationId,
                    FileId = fileId,
                    MessageId = record.Id,
                });
            }
        }
    }

    private MessageRecord BuildMessage(string continuationId, ConversationTurn turn, ExaiScope scope, DateTimeOffset now)
    {
        var role = ConversationRoles.Normalize(turn.Role)
            ?? throw new ArgumentOutOfRangeException(nameof(turn), turn.Role, $"turn.Role '{turn.Role}' is not a role; use system, user, assistant or tool.");
        var content = InputGuard.Text(turn.Content, "turn.Content", Limits.ContentLength);
        string? contents = null;
        var toolCallId = turn.ToolCallId;
        if (turn.Contents is { } parts)
        {
            (contents, content, toolCallId) = StructuredContent(parts, content, toolCallId);
        }

        Guid[]? fileIds = null;
        if (turn.FileIds is { Count: > 0 } files)
        {
            fileIds = new Guid[files.Count];
            for (var i = 0; i < fileIds.Length; i++)
            {
                fileIds[i] = InputGuard.NotEmpty(files[i], "turn.FileIds")!.Value;
            }
        }

        return new MessageRecord
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            RecordedAt = now,
            ScopeUserId = scope.UserId,
            ScopeClaims = scope.ClaimsJson,
            ContinuationId = continuationId,
            Role = role,
            Content = content,
            Contents = contents,
            ToolName = InputGuard.Optional(turn.ToolName, "turn.ToolName", Limits.NameLength),
            Provider = InputGuard.Optional(turn.Provider, "turn.Provider", Limits.NameLength),
            Model = InputGuard.Optional(turn.Model, "turn.Model", Limits.NameLength),
            InputTokens = InputGuard.NonNegative(turn.InputTokens, "turn.InputTokens"),
            OutputTokens = InputGuard.NonNegative(turn.OutputTokens, "turn.OutputTokens"),
            TokenCount = InputGuard.NonNegative(turn.TokenCount, "turn.TokenCount"),
            ToolCallId = InputGuard.Optional(toolCallId, "turn.ToolCallId", Limits.NameLength),
            Metadata = turn.Metadata is null ? "{}" : InputGuard.Metadata(turn.Metadata, "turn.Metadata"),
            FileIds = fileIds,
        };
    }

    /// <summary>Serialises structured content; an empty text is filled from its text parts, a missing call id from its tool result.</summary>
    private static (string Json, string Content, string? ToolCallId) StructuredContent(IReadOnlyList<AIContent> parts, string content, string? toolCallId)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i] is null)
            {
                throw new ArgumentNullException("turn.Contents", "turn.Contents holds a null item.");
            }
        }

        string json;
        try
        {
            json = ContentJson.Serialize(parts);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new ArgumentException($"turn.Contents cannot be written as JSON: {ex.Message}", "turn.Contents", ex);
        }

        if (json.Contains("\\u0000", StringComparison.Ordinal))
        {
            throw new ArgumentException("turn.Contents contains a NUL character (\\u0000), which PostgreSQL's jsonb cannot store.", "turn.Contents");
        }

        InputGuard.Text(json, "turn.Contents", Limits.ContentLength);
        if (content.Length == 0)
        {
            content = string.Concat(parts.OfType<TextContent>().Select(t => t.Text));
        }

        toolCallId ??= parts.OfType<FunctionResultContent>().FirstOrDefault()?.CallId;
        return (json, content, toolCallId);
    }

    private void RecordThread(string continuationId, ValidatedDetails? details, ExaiScope scope, DateTimeOffset now, bool recordSession = true)
    {
        if (recordSession && details?.Session is not null)
        {
            _outbox.Record(details.SessionRecord(scope, now));
        }

        var record = new ConversationRecord
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            RecordedAt = now,
            ScopeUserId = scope.UserId,
            ScopeClaims = scope.ClaimsJson,
            ContinuationId = continuationId,
            SessionId = details?.Session?.Id ?? details?.SessionId,
            OwnerUserId = details?.OwnerUserId,
            ParentContinuationId = details?.ParentContinuationId,
            Title = details?.Title,
            ToolName = details?.ToolName,
            Provider = details?.Provider,
            Model = details?.Model,
            Metadata = details?.Metadata ?? "{}",
        };
        _pending.Track(record);
        _outbox.Record(record);
    }

    private ConversationThread NewThread(string continuationId, ValidatedDetails? details, ExaiScope scope, DateTimeOffset now)
    {
        DateTimeOffset? expires = null;
        if (_options.SlidingExpiration is { } sliding)
        {
            expires = now + sliding;
        }

        if (_options.AbsoluteExpiration is { } absolute && (expires is null || now + absolute < expires))
        {
            expires = now + absolute;
        }

        return new ConversationThread
        {
            Id = ThreadIds.For(continuationId),
            ContinuationId = continuationId,
            SessionId = details?.Session?.Id,
            UserId = details?.OwnerUserId ?? scope.UserId,
            ParentContinuationId = details?.ParentContinuationId,
            Title = details?.Title,
            ToolName = details?.ToolName,
            Provider = details?.Provider,
            Model = details?.Model,
            MetadataJson = details?.Metadata,
            CreatedAt = now,
            LastActivityAt = now,
            ExpiresAt = expires,
            IsNew = true,
            IsPending = true,
        };
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

    private static ConversationUnavailableException Unavailable(string what, Exception? error) =>
        new($"The database is unreachable ({(error is null ? "recent failure" : PostgresErrors.Describe(error))}) and this process holds nothing of '{what}' to serve instead.", error);

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

    private void EnterOutage(string reason)
    {
        Interlocked.Exchange(ref _outageUntil, Stopwatch.GetTimestamp() + (long)(_options.OutageProbeInterval.TotalSeconds * Stopwatch.Frequency));
        if (Interlocked.Exchange(ref _inOutage, 1) == 0)
        {
            ConversationsLog.ServingLocalView(_logger, reason);
        }
    }
}

using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Realtime.Internal;
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
internal sealed partial class ConversationStore : IConversationStore
{
    private const int BudgetChunk = 64;
    private const int MaxBudgetChunk = 1_024;

    private readonly OutboxProcessor _outbox;
    private readonly PendingTurns _pending;
    private readonly ThreadHistoryCache _cache;
    private readonly ConversationReader _reader;
    private readonly TurnSignals _turns;
    private readonly ExaiDataSources _dataSources;
    private readonly TimeProvider _time;
    private readonly ConversationOptions _options;
    private readonly ILogger _logger;
    private readonly BlankRecords<MessageRecord> _blanks = new(MessageRecord.Blank, MessageRecord.Warm);
    private long _outageUntil;
    private int _inOutage;

    public ConversationStore(
        OutboxProcessor outbox,
        PendingTurns pending,
        ThreadHistoryCache cache,
        ConversationReader reader,
        TurnSignals turns,
        ExaiDataSources dataSources,
        TimeProvider time,
        IOptions<ExaiSupabaseOptions> options,
        ILogger<ConversationStore> logger)
    {
        _outbox = outbox;
        _pending = pending;
        _cache = cache;
        _reader = reader;
        _turns = turns;
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
        // Last, after the atomic operations above, which would otherwise wait for these writes.
        WarmNextBlank();
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

        WarmNextBlank();
        return ids;
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

    private ThreadKey Key(string continuationId)
    {
        ContinuationIds.Validate(continuationId, nameof(continuationId));
        return new ThreadKey(ExaiScope.Current.UserId, continuationId);
    }

    /// <summary>Now, at PostgreSQL's precision (internal: the outbox benchmark times an append's steps one by one).</summary>
    internal DateTimeOffset Now() => MessageOrder.ToMicroseconds(_time.GetUtcNow());

    /// <summary>Warms the blank this thread's next append fills (internal: the outbox benchmark times it as a step of its own).</summary>
    internal void WarmNextBlank() => _blanks.WarmNext();

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

    /// <summary>Checks a turn and builds its record (internal: the outbox benchmark times it on its own).</summary>
    internal MessageRecord BuildMessage(string continuationId, ConversationTurn turn, ExaiScope scope, DateTimeOffset now)
    {
        var role = ConversationRoles.Normalize(InputGuard.Required(turn.Role, "turn.Role", Limits.NameLength))
            ?? throw new ArgumentOutOfRangeException("turn.Role", turn.Role, $"turn.Role '{turn.Role}' is not a role; use system, user, assistant or tool.");
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

        var toolName = InputGuard.Optional(turn.ToolName, "turn.ToolName", Limits.NameLength);
        var provider = InputGuard.Optional(turn.Provider, "turn.Provider", Limits.NameLength);
        var model = InputGuard.Optional(turn.Model, "turn.Model", Limits.NameLength);
        var inputTokens = InputGuard.NonNegative(turn.InputTokens, "turn.InputTokens");
        var outputTokens = InputGuard.NonNegative(turn.OutputTokens, "turn.OutputTokens");
        var tokenCount = InputGuard.NonNegative(turn.TokenCount, "turn.TokenCount");
        toolCallId = InputGuard.Optional(toolCallId, "turn.ToolCallId", Limits.NameLength);
        var metadata = turn.Metadata is null ? "{}" : InputGuard.Metadata(turn.Metadata, "turn.Metadata");

        // Everything is checked: fill a blank made off this thread (see BlankRecords) rather than allocate here.
        var record = _blanks.Take();
        record.Id = UuidV7.NewId(now.ToUnixTimeMilliseconds());
        record.RecordedAt = now;
        record.ScopeUserId = scope.UserId;
        record.ScopeClaims = scope.ClaimsJson;
        record.ContinuationId = continuationId;
        record.Role = role;
        record.Content = content;
        record.Contents = contents;
        record.ToolName = toolName;
        record.Provider = provider;
        record.Model = model;
        record.InputTokens = inputTokens;
        record.OutputTokens = outputTokens;
        record.TokenCount = tokenCount;
        record.ToolCallId = toolCallId;
        record.Metadata = metadata;
        record.FileIds = fileIds;
        return record;
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

            // The serialiser would replace a lone surrogate with U+FFFD without a word.
            string?[] texts = parts[i] switch
            {
                TextContent text => [text.Text],
                TextReasoningContent reasoning => [reasoning.Text],
                FunctionCallContent call => [call.CallId, call.Name],
                FunctionResultContent { CallId: var callId, Result: var value } => [callId, value as string],
                _ => [],
            };
            if (texts.Any(InputGuard.HasLoneSurrogate))
            {
                throw new ArgumentException($"turn.Contents[{i}] holds text with a lone UTF-16 surrogate, which is not valid Unicode text.", "turn.Contents");
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
}

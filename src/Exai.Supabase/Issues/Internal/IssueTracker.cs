using System.Text.Json.Nodes;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Security;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// The tracker. Writes made in passing are outbox records (<see cref="NewIssueRecord"/>, <see cref="IssueEntryRecord"/>);
/// changes that depend on the issue's current state run in one transaction that first locks the issue's row (so
/// concurrent changes of one issue are serialised and each is checked against the state the other left).
/// </summary>
internal sealed class IssueTracker(
    OutboxProcessor outbox,
    ScopedDb db,
    PendingIssues pending,
    TimeProvider time,
    ILogger<IssueTracker> logger) : IIssueTracker
{
    /// <summary>The most entries accepted in one list of a draft or a change (components, files, links, checklist).</summary>
    public const int MaxListEntries = 256;

    private int _pendingFullLogged;

    public Guid CreateIssue(IssueDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        const string p = nameof(draft);
        var title = InputGuard.Required(draft.Title, $"{p}.{nameof(IssueDraft.Title)}", Limits.ShortTextLength);
        var severity = IssueVocabulary.ToText(draft.Severity, $"{p}.{nameof(IssueDraft.Severity)}");
        var priorityValue = draft.Priority ?? IssueVocabulary.PriorityFor(draft.Severity);
        var priority = IssueVocabulary.ToText(priorityValue, $"{p}.{nameof(IssueDraft.Priority)}");
        var description = InputGuard.Optional(draft.Description, $"{p}.{nameof(IssueDraft.Description)}", Limits.ContentLength);
        var category = Blank(InputGuard.Optional(draft.Category, $"{p}.{nameof(IssueDraft.Category)}", Limits.NameLength));
        var components = Entries(draft.Components, $"{p}.{nameof(IssueDraft.Components)}", Limits.NameLength);
        var files = Entries(draft.AffectedFiles, $"{p}.{nameof(IssueDraft.AffectedFiles)}", Limits.PathLength);
        var conversations = Entries(draft.Conversations, $"{p}.{nameof(IssueDraft.Conversations)}", Limits.NameLength).Distinct(StringComparer.Ordinal).ToArray();
        var rootCause = Blank(InputGuard.Optional(draft.RootCause, $"{p}.{nameof(IssueDraft.RootCause)}", Limits.ContentLength));
        var issueCode = Blank(InputGuard.Optional(draft.IssueCode, $"{p}.{nameof(IssueDraft.IssueCode)}", Limits.NameLength));
        var assignee = Blank(InputGuard.Optional(draft.Assignee, $"{p}.{nameof(IssueDraft.Assignee)}", Limits.NameLength));
        var checklist = Entries(draft.Checklist, $"{p}.{nameof(IssueDraft.Checklist)}", Limits.ShortTextLength);
        var metadata = InputGuard.Metadata(draft.Metadata, $"{p}.{nameof(IssueDraft.Metadata)}");
        var reportedBy = Author(draft.ReportedBy, $"{p}.{nameof(IssueDraft.ReportedBy)}");

        var now = time.GetUtcNow();
        var ms = now.ToUnixTimeMilliseconds();
        var id = UuidV7.NewId(ms);
        var record = new NewIssueRecord
        {
            Id = id,
            RecordedAt = now,
            CreatedUpdateId = UuidV7.NewId(ms),
            Title = title,
            Description = description,
            Severity = severity,
            Priority = priority,
            Category = category,
            Components = components,
            AffectedFiles = files,
            RootCause = rootCause,
            IssueCode = issueCode,
            ReportedBy = reportedBy,
            Assignee = assignee,
            Rank = draft.Rank,
            Metadata = metadata,
            Conversations = conversations,
            ConversationUpdateIds = [.. conversations.Select(_ => UuidV7.NewId(ms))],
            Checklist = checklist,
            ChecklistIds = [.. checklist.Select(_ => UuidV7.NewId(ms))],
            View = pending,
        };

        // Into the view before the outbox: the record may land (and leave the view) before Record returns.
        var createdAt = Microseconds(now);
        var issue = new Issue
        {
            Id = id,
            IssueCode = issueCode,
            Title = title,
            Description = description,
            Severity = draft.Severity,
            Priority = priorityValue,
            Status = IssueStatus.Open,
            Category = category,
            Components = components,
            AffectedFiles = files,
            LinkedConversations = conversations,
            RootCause = rootCause,
            ReportedBy = reportedBy,
            Assignee = assignee,
            Rank = draft.Rank,
            Metadata = IssueRows.Json(metadata),
            CreatedAt = createdAt,
            UpdatedAt = createdAt,
            IsPending = true,
        };
        var items = checklist.Select((text, i) => new IssueChecklistItem
        {
            Id = record.ChecklistIds[i],
            IssueId = id,
            Position = i + 1,
            Text = text,
            State = ChecklistItemState.Pending,
            CreatedAt = createdAt,
        }).ToList();
        if (!pending.TryAdd(issue, items) && Interlocked.Exchange(ref _pendingFullLogged, 1) == 0)
        {
            IssuesLog.PendingViewFull(logger, pending.Count);
        }

        outbox.Record(record);
        IssuesLog.Recorded(logger, id);
        return id;
    }

    public Guid AddComment(Guid issueId, string body, string? author = null) =>
        Entry(
            NotEmpty(issueId, nameof(issueId)),
            IssueUpdateKind.Comment,
            InputGuard.Required(body, nameof(body), Limits.ContentLength),
            continuationId: null,
            Author(author, nameof(author)));

    public Guid LinkConversation(Guid issueId, string continuationId, string? note = null, string? author = null) =>
        Entry(
            NotEmpty(issueId, nameof(issueId)),
            IssueUpdateKind.ConversationLink,
            Blank(InputGuard.Optional(note, nameof(note), Limits.ContentLength)),
            InputGuard.Required(continuationId, nameof(continuationId), Limits.NameLength),
            Author(author, nameof(author)));

    public Guid RecordFix(Guid issueId, string fix, string? author = null) =>
        Entry(
            NotEmpty(issueId, nameof(issueId)),
            IssueUpdateKind.FixApplied,
            InputGuard.Required(fix, nameof(fix), Limits.ContentLength),
            continuationId: null,
            Author(author, nameof(author)));

    public Guid RecordVerification(Guid issueId, string result, string? author = null) =>
        Entry(
            NotEmpty(issueId, nameof(issueId)),
            IssueUpdateKind.Verification,
            InputGuard.Required(result, nameof(result), Limits.ContentLength),
            continuationId: null,
            Author(author, nameof(author)));

    public async Task<IssueUpdate> TransitionAsync(Guid issueId, IssueStatus to, string? note = null, string? author = null, CancellationToken cancellationToken = default)
    {
        NotEmpty(issueId, nameof(issueId));
        var toText = IssueVocabulary.ToText(to, nameof(to));
        note = Blank(InputGuard.Optional(note, nameof(note), Limits.ContentLength));
        var by = Author(author, nameof(author));
        var entry = await WriteAsync(issueId, () => pending.Contains(issueId), async (connection, transaction, ct) =>
        {
            IssueStatus from;
            DateTimeOffset? resolvedAt;
            DateTimeOffset? closedAt;
            using (var command = new NpgsqlCommand(IssueSql.LockIssue, connection, transaction))
            {
                Add(command, "id", NpgsqlDbType.Uuid, issueId);
                var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        throw new IssueNotFoundException(issueId);
                    }

                    from = IssueVocabulary.FromStored(IssueVocabulary.StatusSynonyms, reader.GetString(0));
                    resolvedAt = reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1);
                    closedAt = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
                }
            }

            if (!IssueStatusFlow.CanMove(from, to))
            {
                IssuesLog.TransitionRefused(logger, issueId, IssueVocabulary.ToText(from), toText);
                throw new InvalidIssueTransitionException(issueId, from, to);
            }

            // Taken under the lock, so the history of one issue is in the order its changes were made.
            var now = Now();
            (resolvedAt, closedAt) = Stamps(to, now, resolvedAt, closedAt);
            using (var command = new NpgsqlCommand(IssueSql.MoveStatus, connection, transaction))
            {
                Add(command, "id", NpgsqlDbType.Uuid, issueId);
                Add(command, "from", NpgsqlDbType.Text, IssueVocabulary.ToText(from));
                Add(command, "to", NpgsqlDbType.Text, toText);
                Add(command, "now", NpgsqlDbType.TimestampTz, now);
                Add(command, "resolved_at", NpgsqlDbType.TimestampTz, resolvedAt);
                Add(command, "closed_at", NpgsqlDbType.TimestampTz, closedAt);
                if (await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                {
                    // Cannot happen under the row lock; refuse rather than write a history that did not happen.
                    throw new InvalidOperationException($"Issue {issueId} changed status while locked; nothing was changed.");
                }
            }

            var update = new IssueUpdate
            {
                Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
                IssueId = issueId,
                Kind = IssueUpdateKind.StatusChange,
                Body = note,
                FromStatus = from,
                ToStatus = to,
                Author = by,
                CreatedAt = now,
            };
            await InsertUpdateAsync(connection, transaction, update, ct).ConfigureAwait(false);
            return update;
        }, cancellationToken).ConfigureAwait(false);

        IssuesLog.StatusChanged(logger, issueId, IssueVocabulary.ToText(entry.FromStatus!.Value), toText);
        return entry;
    }

    public async Task<Issue> UpdateAsync(Guid issueId, IssueChanges changes, string? author = null, CancellationToken cancellationToken = default)
    {
        NotEmpty(issueId, nameof(issueId));
        ArgumentNullException.ThrowIfNull(changes);
        const string p = nameof(changes);
        var title = changes.Title is null ? null : InputGuard.Required(changes.Title, $"{p}.{nameof(IssueChanges.Title)}", Limits.ShortTextLength);
        var description = InputGuard.Optional(changes.Description, $"{p}.{nameof(IssueChanges.Description)}", Limits.ContentLength);
        var severity = changes.Severity is { } s ? IssueVocabulary.ToText(s, $"{p}.{nameof(IssueChanges.Severity)}") : null;
        var priority = changes.Priority is { } pr ? IssueVocabulary.ToText(pr, $"{p}.{nameof(IssueChanges.Priority)}") : null;
        var category = InputGuard.Optional(changes.Category, $"{p}.{nameof(IssueChanges.Category)}", Limits.NameLength);
        var components = changes.Components is null ? null : Entries(changes.Components, $"{p}.{nameof(IssueChanges.Components)}", Limits.NameLength);
        var files = changes.AffectedFiles is null ? null : Entries(changes.AffectedFiles, $"{p}.{nameof(IssueChanges.AffectedFiles)}", Limits.PathLength);
        var rootCause = InputGuard.Optional(changes.RootCause, $"{p}.{nameof(IssueChanges.RootCause)}", Limits.ContentLength);
        var assignee = InputGuard.Optional(changes.Assignee, $"{p}.{nameof(IssueChanges.Assignee)}", Limits.NameLength);
        var issueCode = InputGuard.Optional(changes.IssueCode, $"{p}.{nameof(IssueChanges.IssueCode)}", Limits.NameLength);
        var metadata = changes.Metadata is null ? null : InputGuard.Metadata(changes.Metadata, $"{p}.{nameof(IssueChanges.Metadata)}");
        var by = Author(author, nameof(author));

        return await WriteAsync(issueId, () => pending.Contains(issueId), async (connection, transaction, ct) =>
        {
            Issue current;
            using (var command = new NpgsqlCommand(IssueSql.SelectIssueLocked, connection, transaction))
            {
                Add(command, "id", NpgsqlDbType.Uuid, issueId);
                current = await IssueRows.ReadOneAsync(command, IssueRows.Issue, ct).ConfigureAwait(false) ?? throw new IssueNotFoundException(issueId);
            }

            var set = new IssueFieldChanges();
            set.Text("title", current.Title, title, clear: false);
            set.Text("description", current.Description, Blank(description), clear: description is { Length: 0 }, keepValues: false);
            set.Text("severity", IssueVocabulary.ToText(current.Severity), severity, clear: false);
            set.Text("priority", IssueVocabulary.ToText(current.Priority), priority, clear: false);
            set.Text("category", current.Category, Blank(category), clear: category is { Length: 0 });
            set.List("components", current.Components, components);
            set.List("affected_files", current.AffectedFiles, files);
            set.Text("root_cause", current.RootCause, Blank(rootCause), clear: rootCause is { Length: 0 });
            set.Text("assignee", current.Assignee, Blank(assignee), clear: assignee is { Length: 0 });
            set.Text("issue_code", current.IssueCode, Blank(issueCode), clear: issueCode is { Length: 0 });
            set.Int("rank", current.Rank, changes.Rank);
            set.Metadata(current.Metadata, metadata);
            if (!set.Any)
            {
                return current;
            }

            var now = Now();
            using (var command = set.Command(connection, transaction, issueId, now))
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await InsertUpdateAsync(connection, transaction, new IssueUpdate
            {
                Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
                IssueId = issueId,
                Kind = IssueUpdateKind.FieldChange,
                Body = set.Summary(),
                Author = by,
                Metadata = new JsonObject { ["changes"] = set.Details },
                CreatedAt = now,
            }, ct).ConfigureAwait(false);
            IssuesLog.FieldsChanged(logger, issueId, string.Join(", ", set.Fields));

            using (var command = new NpgsqlCommand(IssueSql.SelectIssue, connection, transaction))
            {
                Add(command, "id", NpgsqlDbType.Uuid, issueId);
                return (await IssueRows.ReadOneAsync(command, IssueRows.Issue, ct).ConfigureAwait(false))!;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IssueChecklistItem> AddChecklistItemAsync(Guid issueId, string text, string? author = null, CancellationToken cancellationToken = default)
    {
        NotEmpty(issueId, nameof(issueId));
        text = InputGuard.Required(text, nameof(text), Limits.ShortTextLength);
        var by = Author(author, nameof(author));
        return await WriteAsync(issueId, () => pending.Contains(issueId), async (connection, transaction, ct) =>
        {
            await LockAsync(connection, transaction, issueId, ct).ConfigureAwait(false);
            int position;
            using (var command = new NpgsqlCommand(IssueSql.NextPosition, connection, transaction))
            {
                Add(command, "id", NpgsqlDbType.Uuid, issueId);
                position = (int)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }

            var now = Now();
            IssueChecklistItem item;
            using (var command = new NpgsqlCommand(IssueSql.InsertItem, connection, transaction))
            {
                Add(command, "item_id", NpgsqlDbType.Uuid, UuidV7.NewId(now.ToUnixTimeMilliseconds()));
                Add(command, "id", NpgsqlDbType.Uuid, issueId);
                Add(command, "position", NpgsqlDbType.Integer, position);
                Add(command, "text", NpgsqlDbType.Text, text);
                Add(command, "now", NpgsqlDbType.TimestampTz, now);
                item = (await IssueRows.ReadOneAsync(command, IssueRows.Item, ct).ConfigureAwait(false))!;
            }

            await ChecklistEntryAsync(connection, transaction, item, "added", null, by, now, ct).ConfigureAwait(false);
            return item;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IssueChecklistItem> SetChecklistItemStateAsync(Guid itemId, ChecklistItemState state, string? note = null, string? author = null, CancellationToken cancellationToken = default)
    {
        NotEmpty(itemId, nameof(itemId));
        var stateText = IssueVocabulary.ToText(state, nameof(state));
        note = Blank(InputGuard.Optional(note, nameof(note), Limits.ContentLength));
        var by = Author(author, nameof(author));
        return await WriteAsync(itemId, () => pending.TryGetIssueOfItem(itemId, out _), async (connection, transaction, ct) =>
        {
            var issueId = await ItemIssueAsync(connection, transaction, itemId, ct).ConfigureAwait(false);
            var current = await ItemAsync(connection, transaction, itemId, ct).ConfigureAwait(false);
            if (current.State == state)
            {
                return current;
            }

            var now = Now();
            IssueChecklistItem item;
            using (var command = new NpgsqlCommand(IssueSql.SetItemState, connection, transaction))
            {
                Add(command, "item_id", NpgsqlDbType.Uuid, itemId);
                Add(command, "state", NpgsqlDbType.Text, stateText);
                Add(command, "now", NpgsqlDbType.TimestampTz, now);
                Add(command, "author", NpgsqlDbType.Text, by);
                item = (await IssueRows.ReadOneAsync(command, IssueRows.Item, ct).ConfigureAwait(false))!;
            }

            var action = state switch
            {
                ChecklistItemState.Completed => "completed",
                ChecklistItemState.Skipped => "skipped",
                _ => "reopened",
            };
            await ChecklistEntryAsync(connection, transaction, item, action, note, by, now, ct, current.State).ConfigureAwait(false);
            IssuesLog.ChecklistChanged(logger, issueId, action);
            return item;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IssueChecklistItem>> ReorderChecklistAsync(Guid issueId, IReadOnlyList<Guid> itemIds, string? author = null, CancellationToken cancellationToken = default)
    {
        NotEmpty(issueId, nameof(issueId));
        ArgumentNullException.ThrowIfNull(itemIds);
        var wanted = itemIds.ToArray();
        var duplicates = wanted.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new ArgumentException($"{nameof(itemIds)} names {string.Join(", ", duplicates)} more than once; give each checklist item once.", nameof(itemIds));
        }

        var by = Author(author, nameof(author));
        return await WriteAsync(issueId, () => pending.Contains(issueId), async (connection, transaction, ct) =>
        {
            await LockAsync(connection, transaction, issueId, ct).ConfigureAwait(false);
            var items = await ItemsAsync(connection, transaction, issueId, ct).ConfigureAwait(false);
            var existing = items.Select(i => i.Id).ToHashSet();
            var unknown = wanted.Where(id => !existing.Contains(id)).ToList();
            var missing = items.Select(i => i.Id).Where(id => Array.IndexOf(wanted, id) < 0).ToList();
            if (unknown.Count > 0 || missing.Count > 0)
            {
                throw new ArgumentException(
                    $"{nameof(itemIds)} must name every item of issue {issueId}'s checklist once" +
                    (unknown.Count > 0 ? $"; not on it: {string.Join(", ", unknown)}" : string.Empty) +
                    (missing.Count > 0 ? $"; left out: {string.Join(", ", missing)}" : string.Empty) + ".",
                    nameof(itemIds));
            }

            if (items.Select(i => i.Id).SequenceEqual(wanted))
            {
                return items;
            }

            using (var command = new NpgsqlCommand(IssueSql.Reorder, connection, transaction))
            {
                Add(command, "id", NpgsqlDbType.Uuid, issueId);
                Add(command, "ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, wanted);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var now = Now();
            await InsertUpdateAsync(connection, transaction, new IssueUpdate
            {
                Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
                IssueId = issueId,
                Kind = IssueUpdateKind.Checklist,
                Body = "Checklist reordered",
                Author = by,
                Metadata = new JsonObject
                {
                    ["action"] = "reordered",
                    ["order"] = new JsonArray([.. wanted.Select(id => (JsonNode?)JsonValue.Create(id))]),
                },
                CreatedAt = now,
            }, ct).ConfigureAwait(false);
            IssuesLog.ChecklistChanged(logger, issueId, "reordered");
            return await ItemsAsync(connection, transaction, issueId, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IssueChecklistItem>> RemoveChecklistItemAsync(Guid itemId, string? author = null, CancellationToken cancellationToken = default)
    {
        NotEmpty(itemId, nameof(itemId));
        var by = Author(author, nameof(author));
        return await WriteAsync(itemId, () => pending.TryGetIssueOfItem(itemId, out _), async (connection, transaction, ct) =>
        {
            var issueId = await ItemIssueAsync(connection, transaction, itemId, ct).ConfigureAwait(false);
            var item = await ItemAsync(connection, transaction, itemId, ct).ConfigureAwait(false);
            using (var command = new NpgsqlCommand(IssueSql.DeleteItem, connection, transaction))
            {
                Add(command, "item_id", NpgsqlDbType.Uuid, itemId);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            using (var command = new NpgsqlCommand(IssueSql.CloseGap, connection, transaction))
            {
                Add(command, "id", NpgsqlDbType.Uuid, issueId);
                Add(command, "position", NpgsqlDbType.Integer, item.Position);
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var now = Now();
            await ChecklistEntryAsync(connection, transaction, item, "removed", null, by, now, ct).ConfigureAwait(false);
            IssuesLog.ChecklistChanged(logger, issueId, "removed");
            return await ItemsAsync(connection, transaction, issueId, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Issue?> GetAsync(Guid issueId, CancellationToken cancellationToken = default)
    {
        // Asked before the read as well: the issue may land between a read that misses it and the look at the view.
        var queuedBefore = pending.Contains(issueId);
        Issue? issue;
        try
        {
            issue = await ReadIssueAsync(issueId, cancellationToken).ConfigureAwait(false);
            if (issue is null && queuedBefore && !pending.Contains(issueId))
            {
                issue = await ReadIssueAsync(issueId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex) && pending.TryGet(issueId, out var own, out _))
        {
            IssuesLog.ServedPending(logger, issueId, "the database is unreachable");
            return own;
        }

        if (issue is not null)
        {
            // Saved: this process's copy (kept if the record came back from a spill without its view) can go.
            pending.Landed(issueId);
            return issue;
        }

        if (pending.TryGet(issueId, out var queued, out _))
        {
            IssuesLog.ServedPending(logger, issueId, "not saved yet");
            return queued;
        }

        return null;
    }

    private Task<Issue?> ReadIssueAsync(Guid issueId, CancellationToken cancellationToken) =>
        db.RunAsync(async (connection, transaction, ct) =>
        {
            using var command = new NpgsqlCommand(IssueSql.SelectIssue, connection, transaction);
            Add(command, "id", NpgsqlDbType.Uuid, issueId);
            return await IssueRows.ReadOneAsync(command, IssueRows.Issue, ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<IssueUpdate>> GetUpdatesAsync(Guid issueId, CancellationToken cancellationToken = default) =>
        db.RunAsync<IReadOnlyList<IssueUpdate>>(async (connection, transaction, ct) =>
        {
            using var command = new NpgsqlCommand(IssueSql.SelectUpdates, connection, transaction);
            Add(command, "id", NpgsqlDbType.Uuid, issueId);
            return await IssueRows.ReadAllAsync(command, IssueRows.Update, ct).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<IReadOnlyList<IssueChecklistItem>> GetChecklistAsync(Guid issueId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<IssueChecklistItem> items;
        try
        {
            items = await db.RunAsync((connection, transaction, ct) => ItemsAsync(connection, transaction, issueId, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex) && pending.TryGet(issueId, out _, out var own))
        {
            return own;
        }

        if (items.Count > 0 || !pending.TryGet(issueId, out _, out var queued))
        {
            return items;
        }

        // No items saved: either the issue is not saved yet (its pending checklist is the answer) or it is and its
        // checklist is empty now (the view's copy is stale).
        var saved = await db.RunAsync(async (connection, transaction, ct) =>
        {
            using var command = new NpgsqlCommand(IssueSql.IssueExists, connection, transaction);
            Add(command, "id", NpgsqlDbType.Uuid, issueId);
            return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is true;
        }, cancellationToken).ConfigureAwait(false);
        if (!saved)
        {
            return queued;
        }

        pending.Landed(issueId);
        return items;
    }

    public async Task<IssuePage> ListAsync(IssueFilter? filter = null, int pageSize = IssuePage.DefaultSize, string? cursor = null, CancellationToken cancellationToken = default)
    {
        if (pageSize is < 1 or > IssuePage.MaxSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"{nameof(pageSize)} must be between 1 and {IssuePage.MaxSize}.");
        }

        var conditions = Conditions(filter);
        (DateTimeOffset, Guid)? after = cursor is null ? null : IssueCursor.Decode(cursor, nameof(cursor));
        var rows = await db.RunAsync(async (connection, transaction, ct) =>
        {
            using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
            IssueSql.List(command, conditions, after, pageSize + 1);
            return await IssueRows.ReadAllAsync(command, IssueRows.Issue, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        string? next = null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(pageSize);
            next = IssueCursor.Encode(rows[^1].CreatedAt, rows[^1].Id);
        }

        return new IssuePage { Items = rows, NextCursor = next };
    }

    public async Task<IssueStatusCounts> CountByStatusAsync(IssueFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var conditions = Conditions(filter);
        var counts = await db.RunAsync(async (connection, transaction, ct) =>
        {
            using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
            IssueSql.Counts(command, conditions);
            return await IssueRows.ReadAllAsync(command, r => (Status: r.GetString(0), Count: r.GetInt64(1)), ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        long Of(IssueStatus status) => counts.FirstOrDefault(c => c.Status == IssueVocabulary.ToText(status)).Count;
        return new IssueStatusCounts
        {
            Open = Of(IssueStatus.Open),
            InProgress = Of(IssueStatus.InProgress),
            Fixed = Of(IssueStatus.Fixed),
            Verified = Of(IssueStatus.Verified),
            Closed = Of(IssueStatus.Closed),
            WontFix = Of(IssueStatus.WontFix),
        };
    }

    /// <summary>
    /// Runs a change as the service (issues are shared rows users may only read) in one transaction. When the issue
    /// (or item) is not in the database but this process created it and its write is still queued, waits for the
    /// outbox to save it and tries once more.
    /// </summary>
    private async Task<T> WriteAsync<T>(Guid id, Func<bool> createdHere, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using (ExaiScope.Begin(ExaiScope.Service))
        {
            // Asked before the attempt as well as after: the write may land between a read that misses it and the
            // check, and its landing forgets it here.
            var queuedHere = createdHere();
            T result;
            try
            {
                result = await db.RunAsync(work, cancellationToken).ConfigureAwait(false);
            }
            catch (IssueNotFoundException) when (queuedHere || createdHere())
            {
                IssuesLog.WaitingForOutbox(logger, id);
                await outbox.FlushAsync(cancellationToken).ConfigureAwait(false);
                result = await db.RunAsync(work, cancellationToken).ConfigureAwait(false);
            }

            // The issue is saved: a copy the view still holds (its record came back from a spill) can go.
            pending.Landed(id);
            return result;
        }
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid issueId, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(IssueSql.LockIssue, connection, transaction);
        Add(command, "id", NpgsqlDbType.Uuid, issueId);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw new IssueNotFoundException(issueId);
        }
    }

    /// <summary>Finds an item's issue and locks the issue's row (the lock every checklist change of that issue takes).</summary>
    private static async Task<Guid> ItemIssueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid itemId, CancellationToken cancellationToken)
    {
        Guid issueId;
        using (var command = new NpgsqlCommand(IssueSql.SelectItemIssue, connection, transaction))
        {
            Add(command, "id", NpgsqlDbType.Uuid, itemId);
            issueId = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is Guid found
                ? found
                : throw new IssueNotFoundException(itemId, checklistItem: true);
        }

        await LockAsync(connection, transaction, issueId, cancellationToken).ConfigureAwait(false);
        return issueId;
    }

    /// <summary>Reads an item after its issue is locked (it may have been removed while this waited for the lock).</summary>
    private static async Task<IssueChecklistItem> ItemAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid itemId, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(IssueSql.SelectItem, connection, transaction);
        Add(command, "id", NpgsqlDbType.Uuid, itemId);
        return await IssueRows.ReadOneAsync(command, IssueRows.Item, cancellationToken).ConfigureAwait(false)
            ?? throw new IssueNotFoundException(itemId, checklistItem: true);
    }

    private static async Task<IReadOnlyList<IssueChecklistItem>> ItemsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid issueId, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(IssueSql.SelectItems, connection, transaction);
        Add(command, "id", NpgsqlDbType.Uuid, issueId);
        return await IssueRows.ReadAllAsync(command, IssueRows.Item, cancellationToken).ConfigureAwait(false);
    }

    private static Task ChecklistEntryAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IssueChecklistItem item,
        string action,
        string? note,
        string? author,
        DateTimeOffset now,
        CancellationToken cancellationToken,
        ChecklistItemState? fromState = null)
    {
        var details = new JsonObject
        {
            ["action"] = action,
            ["item_id"] = item.Id,
            ["position"] = item.Position,
        };
        if (fromState is { } from)
        {
            details["from_state"] = IssueVocabulary.ToText(from);
            details["to_state"] = IssueVocabulary.ToText(item.State);
        }

        if (note is not null)
        {
            details["note"] = note;
        }

        return InsertUpdateAsync(connection, transaction, new IssueUpdate
        {
            Id = UuidV7.NewId(now.ToUnixTimeMilliseconds()),
            IssueId = item.IssueId,
            Kind = IssueUpdateKind.Checklist,
            Body = note is null ? $"Item {item.Position} {action}: {item.Text}" : $"Item {item.Position} {action}: {item.Text}\n{note}",
            Author = author,
            Metadata = details,
            CreatedAt = now,
        }, cancellationToken);
    }

    private static async Task InsertUpdateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IssueUpdate update, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(IssueSql.InsertUpdate, connection, transaction);
        Add(command, "update_id", NpgsqlDbType.Uuid, update.Id);
        Add(command, "issue_id", NpgsqlDbType.Uuid, update.IssueId);
        Add(command, "kind", NpgsqlDbType.Text, IssueVocabulary.ToText(update.Kind));
        Add(command, "body", NpgsqlDbType.Text, update.Body);
        Add(command, "from_status", NpgsqlDbType.Text, update.FromStatus is { } from ? IssueVocabulary.ToText(from) : null);
        Add(command, "to_status", NpgsqlDbType.Text, update.ToStatus is { } to ? IssueVocabulary.ToText(to) : null);
        Add(command, "author", NpgsqlDbType.Text, update.Author);
        Add(command, "metadata", NpgsqlDbType.Jsonb, update.Metadata.ToJsonString());
        Add(command, "created_at", NpgsqlDbType.TimestampTz, update.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The time stamps a move leaves: entering fixed or wont_fix resolves, entering closed or wont_fix closes, going
    /// back to open or in_progress clears both, and verified keeps the resolution but is no longer closed.
    /// </summary>
    private static (DateTimeOffset? ResolvedAt, DateTimeOffset? ClosedAt) Stamps(IssueStatus to, DateTimeOffset now, DateTimeOffset? resolvedAt, DateTimeOffset? closedAt) => to switch
    {
        IssueStatus.Open or IssueStatus.InProgress => (null, null),
        IssueStatus.Fixed => (now, null),
        IssueStatus.Verified => (resolvedAt ?? now, null),
        IssueStatus.Closed => (resolvedAt ?? now, now),
        IssueStatus.WontFix => (now, now),
        _ => (resolvedAt, closedAt),
    };

    private static IssueConditions Conditions(IssueFilter? filter)
    {
        if (filter is null)
        {
            return default;
        }

        const string p = nameof(filter);
        return new IssueConditions(
            filter.Status is { } status ? IssueVocabulary.ToText(status, $"{p}.{nameof(IssueFilter.Status)}") : null,
            filter.Severity is { } severity ? IssueVocabulary.ToText(severity, $"{p}.{nameof(IssueFilter.Severity)}") : null,
            filter.Priority is { } priority ? IssueVocabulary.ToText(priority, $"{p}.{nameof(IssueFilter.Priority)}") : null,
            Condition(filter.Category, $"{p}.{nameof(IssueFilter.Category)}", Limits.NameLength),
            Condition(filter.Component, $"{p}.{nameof(IssueFilter.Component)}", Limits.NameLength),
            Condition(filter.Text, $"{p}.{nameof(IssueFilter.Text)}", Limits.ShortTextLength),
            Condition(filter.ContinuationId, $"{p}.{nameof(IssueFilter.ContinuationId)}", Limits.NameLength));
    }

    /// <summary>A filter text: null, empty or white space sets no condition.</summary>
    private static string? Condition(string? value, string parameterName, int maxLength) =>
        string.IsNullOrWhiteSpace(value) ? null : InputGuard.Optional(value, parameterName, maxLength);

    private static string[] Entries(IReadOnlyList<string>? values, string parameterName, int maxLength)
    {
        if (values is null)
        {
            return [];
        }

        if (values.Count > MaxListEntries)
        {
            throw new ArgumentOutOfRangeException(parameterName, values.Count, $"{parameterName} has {values.Count} entries; the limit is {MaxListEntries}.");
        }

        var result = new string[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = InputGuard.Required(values[i], $"{parameterName}[{i}]", maxLength);
        }

        return result;
    }

    private static Guid NotEmpty(Guid id, string parameterName) =>
        id == Guid.Empty ? throw new ArgumentException($"{parameterName} must not be the empty GUID.", parameterName) : id;

    /// <summary>An optional text where empty means none.</summary>
    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The author given or, in a user scope, the user's id (taken before writes switch to the service scope).</summary>
    private static string? Author(string? author, string parameterName) =>
        Blank(InputGuard.Optional(author, parameterName, Limits.NameLength)) ?? ExaiScope.Current.UserId?.ToString();

    private static void Add(NpgsqlCommand command, string name, NpgsqlDbType type, object? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });

    /// <summary>PostgreSQL keeps microseconds: what is returned must equal what is read back.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));

    private DateTimeOffset Now() => Microseconds(time.GetUtcNow());

    private Guid Entry(Guid issueId, IssueUpdateKind kind, string? body, string? continuationId, string? author)
    {
        var now = time.GetUtcNow();
        var id = UuidV7.NewId(now.ToUnixTimeMilliseconds());
        outbox.Record(new IssueEntryRecord
        {
            Id = id,
            RecordedAt = now,
            IssueId = issueId,
            EntryKind = IssueVocabulary.ToText(kind),
            Body = body,
            ContinuationId = continuationId,
            Author = author,
        });
        return id;
    }
}

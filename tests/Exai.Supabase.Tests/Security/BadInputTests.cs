using System.Text.Json.Nodes;
using Exai.Supabase.Conversations;
using Exai.Supabase.Files;
using Exai.Supabase.Issues;
using Exai.Supabase.Persistence.Internal;
using Exai.Supabase.Prompts;
using Exai.Supabase.Realtime;
using Exai.Supabase.Security;
using Exai.Supabase.Testing;
using Exai.Supabase.Tests.Files;
using Exai.Supabase.Tests.Infrastructure;

namespace Exai.Supabase.Tests.Security;

/// <summary>
/// Every public entry point given each kind of bad input that applies to it: null, empty and whitespace strings,
/// over-long values, NUL characters, lone UTF-16 surrogates, metadata JSON cannot hold, out-of-range numbers, unknown
/// enum values and path traversal. Each call must throw an <see cref="ArgumentException"/> (or a typed exception of
/// the library deriving from it) at the call site naming the argument, queue nothing and leave the database as it was.
/// SQL-injection strings given as data in every text field are stored and read back verbatim, and nothing else changes.
/// </summary>
public sealed class BadInputTests
{
    private const string Thread = "bad-input-thread";
    private const string Tool = "bad-input-tool";

    private static readonly string TooLong = new('x', 20_000);
    private static readonly string ContentTooLong = new('c', Limits.ContentLength + 1);

    private static readonly string[] Injections =
    [
        "'; DROP TABLE messages; --",
        "Robert'); DELETE FROM files;--",
        "\" OR 1=1; UPDATE conversations SET user_id = NULL; --",
        "$$; TRUNCATE issues CASCADE; $$",
    ];

    private static MigratedDatabase s_db = null!;
    private static LocalFileApis s_apis = null!;
    private static SecurityHarness s_harness = null!;
    private static Guid s_issue;
    private static Guid s_item;
    private static Guid s_file;
    private static ResolvedPrompt? s_resolved;

    private SecurityHarness H => s_harness;

    /// <summary>The bad kinds of a required string.</summary>
    private static IEnumerable<(string Kind, string? Value)> Required(string? overLong = null) =>
    [
        ("null", null), ("empty", string.Empty), ("whitespace", " \t "), ("over-long", overLong ?? TooLong),
        ("NUL", "a\0b"), ("lone surrogate", "a\uD800b"), ("lone low surrogate", "\uDC00"),
    ];

    /// <summary>The bad kinds of an optional string (null is allowed).</summary>
    private static IEnumerable<(string Kind, string? Value)> Optional(string? overLong = null) =>
    [
        ("over-long", overLong ?? TooLong), ("NUL", "a\0b"), ("lone surrogate", "a\uD800b"),
    ];

    /// <summary>Metadata that PostgreSQL's jsonb cannot hold as given.</summary>
    private static IEnumerable<(string Kind, Func<JsonObject> Value)> BadMetadata() =>
    [
        ("NUL in a value", () => new JsonObject { ["a"] = "x\0y" }),
        ("lone surrogate in a value", () => new JsonObject { ["a"] = "x\uD800" }),
        ("lone surrogate in a key", () => new JsonObject { ["k\uDBFF"] = 1 }),
        ("nested NUL", () => new JsonObject { ["a"] = new JsonArray(new JsonObject { ["b"] = "\0" }) }),
        ("NaN", () => new JsonObject { ["a"] = JsonValue.Create(double.NaN) }),
        ("over-long", () => new JsonObject { ["a"] = new string('m', Limits.MetadataLength + 1) }),
    ];

    /// <summary>Storage paths that must never reach the store or the database.</summary>
    private static IEnumerable<(string Kind, string? Value)> BadPaths() =>
        Required().Concat(
        [
            ("traversal", "../outside.txt"), ("inner traversal", "alice/../../etc/passwd"), ("dot segment", "alice/./x.txt"),
            ("absolute", "/etc/passwd"), ("empty segment", "alice//x.txt"), ("backslash traversal", "..\\outside.txt"),
            ("trailing slash", "alice/"),
        ]);

    private static IEnumerable<TestCaseData> Cases()
    {
        var all = new List<(string Name, string Param, Func<SecurityHarness, Task> Call)>();
        void Add(string name, string param, Func<SecurityHarness, Task> call) => all.Add((name, param, call));
        void Sync(string name, string param, Action<SecurityHarness> call) => all.Add((name, param, h =>
        {
            call(h);
            return Task.CompletedTask;
        }));

        // Conversation store.
        foreach (var (kind, value) in Required())
        {
            Add($"GetOrCreate continuationId {kind}", "continuationId", h => h.Store.GetOrCreateAsync(value!).AsTask());
            Sync($"Append continuationId {kind}", "continuationId", h => h.Store.Append(value!, ConversationTurn.User("hi")));
            Sync($"AppendRange continuationId {kind}", "continuationId", h => h.Store.AppendRange(value!, [ConversationTurn.User("hi")]));
            Add($"GetHistory continuationId {kind}", "continuationId", h => h.Store.GetHistoryAsync(value!));
            Add($"GetLast continuationId {kind}", "continuationId", h => h.Store.GetLastAsync(value!, 5));
            Add($"GetPage continuationId {kind}", "continuationId", h => h.Store.GetPageAsync(value!, 5));
            Add($"GetWithinTokenBudget continuationId {kind}", "continuationId", h => h.Store.GetWithinTokenBudgetAsync(value!, 100));
            Add($"GetFiles continuationId {kind}", "continuationId", h => h.Store.GetFilesAsync(value!));
            Sync($"Delete continuationId {kind}", "continuationId", h => h.Store.Delete(value!));
            Sync($"Append turn.Role {kind}", "turn.Role", h => h.Store.Append(Thread, new ConversationTurn { Role = value!, Content = "hi" }));
        }

        foreach (var (kind, value) in Required().Where(k => k.Value is not null))
        {
            // Null is no parent; anything else must be a valid continuation id.
            Add($"GetOrCreate details.ParentContinuationId {kind}", "details.ParentContinuationId", h => h.Store.GetOrCreateAsync(Thread + "-new", new ConversationThreadDetails { ParentContinuationId = value }).AsTask());
        }

        foreach (var (kind, value) in Optional())
        {
            Add($"GetOrCreate details.Title {kind}", "details.Title", h => h.Store.GetOrCreateAsync(Thread + "-new", new ConversationThreadDetails { Title = value }).AsTask());
            Add($"GetOrCreate details.ToolName {kind}", "details.ToolName", h => h.Store.GetOrCreateAsync(Thread + "-new", new ConversationThreadDetails { ToolName = value }).AsTask());
            Add($"GetOrCreate details.Session.ClientName {kind}", "ClientName", h => h.Store.GetOrCreateAsync(Thread + "-new", new ConversationThreadDetails { Session = new ConversationSession { Id = Guid.NewGuid(), ClientName = value } }).AsTask());
            Sync($"Append turn.ToolName {kind}", "turn.ToolName", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { ToolName = value }));
            Sync($"Append turn.Model {kind}", "turn.Model", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { Model = value }));
            Sync($"Append turn.Provider {kind}", "turn.Provider", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { Provider = value }));
            Sync($"Append turn.ToolCallId {kind}", "turn.ToolCallId", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { ToolCallId = value }));
            Add($"GetPage olderThan {kind}", "olderThan", h => h.Store.GetPageAsync(Thread, 5, value));
        }

        foreach (var (kind, value) in new[] { ("null", null), ("over-long", ContentTooLong), ("NUL", "a\0b"), ("lone surrogate", "\uD800 text") })
        {
            Sync($"Append turn.Content {kind}", "turn.Content", h => h.Store.Append(Thread, new ConversationTurn { Role = "user", Content = value! }));
        }

        foreach (var (kind, value) in BadMetadata())
        {
            Sync($"Append turn.Metadata {kind}", "turn.Metadata", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { Metadata = value() }));
            Add($"GetOrCreate details.Metadata {kind}", "details.Metadata", h => h.Store.GetOrCreateAsync(Thread + "-new", new ConversationThreadDetails { Metadata = value() }).AsTask());
            Add($"GetOrCreate details.Session.Metadata {kind}", "Metadata", h => h.Store.GetOrCreateAsync(Thread + "-new", new ConversationThreadDetails { Session = new ConversationSession { Id = Guid.NewGuid(), Metadata = value() } }).AsTask());
            Sync($"Register file.Metadata {kind}", "file.Metadata", h => h.Files.Register(new FileRegistration { StoragePath = "ok/meta.txt", Metadata = value() }));
            Sync($"CreateIssue draft.Metadata {kind}", "draft.Metadata", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", Metadata = value() }));
            Add($"StoreVersion prompt.Metadata {kind}", "prompt.Metadata", h => h.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = Tool, Provider = "kimi", Content = "c", Metadata = value() }));
            Add($"ForUser claims {kind}", "claims", _ =>
            {
                ExaiScope.ForUser(Guid.NewGuid(), value());
                return Task.CompletedTask;
            });
        }

        Sync("Append turn null", "turn", h => h.Store.Append(Thread, null!));
        Sync("AppendRange turns null", "turns", h => h.Store.AppendRange(Thread, null!));
        Sync("AppendRange a null turn", "turns", h => h.Store.AppendRange(Thread, [ConversationTurn.User("a"), null!]));
        Sync("Append turn.Role unknown", "turn.Role", h => h.Store.Append(Thread, new ConversationTurn { Role = "wizard", Content = "hi" }));
        Sync("Append turn.InputTokens negative", "turn.InputTokens", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { InputTokens = -1 }));
        Sync("Append turn.OutputTokens int.MinValue", "turn.OutputTokens", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { OutputTokens = int.MinValue }));
        Sync("Append turn.TokenCount negative", "turn.TokenCount", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { TokenCount = -5 }));
        Sync("Append turn.FileIds empty guid", "turn.FileIds", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { FileIds = [Guid.Empty] }));
        Sync("Append turn.Contents null item", "turn.Contents", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { Contents = [null!] }));
        Sync("Append turn.Contents lone surrogate", "turn.Contents", h => h.Store.Append(Thread, ConversationTurn.User("hi") with { Contents = [new Microsoft.Extensions.AI.TextContent("x\uDFFF")] }));
        foreach (var count in new[] { 0, -1, int.MaxValue })
        {
            Add($"GetLast count {count}", "count", h => h.Store.GetLastAsync(Thread, count));
            Add($"GetPage pageSize {count}", "pageSize", h => h.Store.GetPageAsync(Thread, count));
            Add($"GetSessionThreads limit {count}", "limit", h => h.Store.GetSessionThreadsAsync(Guid.NewGuid(), count));
            Add($"GetUserThreads limit {count}", "limit", h => h.Store.GetUserThreadsAsync(Guid.NewGuid(), count));
        }

        Add("GetWithinTokenBudget maxTokens 0", "maxTokens", h => h.Store.GetWithinTokenBudgetAsync(Thread, 0));
        Add("GetWithinTokenBudget maxTokens negative", "maxTokens", h => h.Store.GetWithinTokenBudgetAsync(Thread, -100));
        Add("GetSessionThreads empty session", "sessionId", h => h.Store.GetSessionThreadsAsync(Guid.Empty));
        Add("GetUserThreads empty user", "userId", h => h.Store.GetUserThreadsAsync(Guid.Empty));
        Add("GetOrCreate details.OwnerUserId empty", "details.OwnerUserId", h => h.Store.GetOrCreateAsync(Thread + "-new", new ConversationThreadDetails { OwnerUserId = Guid.Empty }).AsTask());
        Add("GetOrCreate details.Session.Id empty", "Session", h => h.Store.GetOrCreateAsync(Thread + "-new", new ConversationThreadDetails { Session = new ConversationSession { Id = Guid.Empty } }).AsTask());

        // File sync.
        foreach (var (kind, value) in BadPaths())
        {
            Sync($"Register file.StoragePath {kind}", "file.StoragePath", h => h.Files.Register(new FileRegistration { StoragePath = value! }));
            Add($"Store file.StoragePath {kind}", "file.StoragePath", h => h.Files.StoreAsync(new FileRegistration { StoragePath = value! }, FilesHarness.Content("x")));
            Add($"Storage.Put path {kind}", "path", h => h.Storage.PutAsync("user-files", value!, FilesHarness.Content("x")));
            Add($"Storage.OpenRead path {kind}", "path", h => h.Storage.OpenReadAsync("user-files", value!));
            Add($"Storage.Delete path {kind}", "path", h => h.Storage.DeleteAsync("user-files", value!));
        }

        foreach (var (kind, value) in Required())
        {
            Sync($"Register file.Bucket {kind}", "file.Bucket", h => h.Files.Register(new FileRegistration { Bucket = value!, StoragePath = "ok/x.txt" }));
            Add($"Upload provider {kind}", "provider", h => h.Files.UploadAsync(s_file, value!, "file-extract"));
            Add($"Upload purpose {kind}", "purpose", h => h.Files.UploadAsync(s_file, "kimi", value!));
            Sync($"RecordUpload provider {kind}", "provider", h => h.Files.RecordUpload(s_file, value!, "p-1", "file-extract"));
            Sync($"RecordUpload providerFileId {kind}", "providerFileId", h => h.Files.RecordUpload(s_file, "kimi", value!, "file-extract"));
            Sync($"RecordUpload purpose {kind}", "purpose", h => h.Files.RecordUpload(s_file, "kimi", "p-1", value!));
            Add($"CountUploadReferences provider {kind}", "provider", h => h.Files.CountUploadReferencesAsync(value!, "p-1"));
            Add($"CountUploadReferences providerFileId {kind}", "providerFileId", h => h.Files.CountUploadReferencesAsync("kimi", value!));
            Add($"FindOrphans provider {kind}", "provider", h => h.Files.FindOrphansAsync(value!));
        }

        foreach (var (kind, value) in Optional())
        {
            Sync($"Register file.OriginalName {kind}", "file.OriginalName", h => h.Files.Register(new FileRegistration { StoragePath = "ok/x.txt", OriginalName = value }));
            Sync($"Register file.MimeType {kind}", "file.MimeType", h => h.Files.Register(new FileRegistration { StoragePath = "ok/x.txt", MimeType = value }));
            Sync($"Register file.Sha256 {kind}", "file.Sha256", h => h.Files.Register(new FileRegistration { StoragePath = "ok/x.txt", Sha256 = value }));
            Add($"Delete reason {kind}", "reason", h => h.Files.DeleteAsync(s_file, value));
        }

        Sync("Register file null", "file", h => h.Files.Register(null!));
        Add("Store file null", "file", h => h.Files.StoreAsync(null!, FilesHarness.Content("x")));
        Add("Store content null", "content", h => h.Files.StoreAsync(new FileRegistration { StoragePath = "ok/x.txt" }, null!));
        Sync("Register file.Bucket unknown", "file.Bucket", h => h.Files.Register(new FileRegistration { Bucket = "no-such-bucket", StoragePath = "ok/x.txt" }));
        Sync("Register file.SizeBytes negative", "file.SizeBytes", h => h.Files.Register(new FileRegistration { StoragePath = "ok/x.txt", SizeBytes = -1 }));
        Sync("Register file.Sha256 not hex", "file.Sha256", h => h.Files.Register(new FileRegistration { StoragePath = "ok/x.txt", Sha256 = "not-a-digest" }));
        Sync("Register file.FileType unknown", "file.FileType", h => h.Files.Register(new FileRegistration { StoragePath = "ok/x.txt", FileType = (StoredFileType)99 }));
        Sync("Register file.OwnerId empty", "file.OwnerId", h => h.Files.Register(new FileRegistration { StoragePath = "ok/x.txt", OwnerId = Guid.Empty }));
        Sync("RecordUpload fileId empty", "fileId", h => h.Files.RecordUpload(Guid.Empty, "kimi", "p-1", "file-extract"));
        Sync("RecordUpload status unknown", "status", h => h.Files.RecordUpload(s_file, "kimi", "p-1", "file-extract", (ProviderUploadStatus)42));
        Sync("RecordUpload provider unknown", "provider", h => h.Files.RecordUpload(s_file, "no-such-provider", "p-1", "file-extract"));
        Add("Upload fileId empty", "fileId", h => h.Files.UploadAsync(Guid.Empty, "kimi", "file-extract"));
        Add("Upload provider unknown", "provider", h => h.Files.UploadAsync(s_file, "no-such-provider", "file-extract"));
        Add("Delete fileId empty", "fileId", h => h.Files.DeleteAsync(Guid.Empty));
        Add("Storage.Put bucket unknown", "bucket", h => h.Storage.PutAsync("no-such-bucket", "ok/x.txt", FilesHarness.Content("x")));
        Add("Storage.List limit 0", "limit", h => h.Storage.ListAsync("user-files", limit: 0));
        Add("Storage.List offset negative", "offset", h => h.Storage.ListAsync("user-files", offset: -1));
        Add("Storage.List prefix traversal", "prefix", h => h.Storage.ListAsync("user-files", "../"));

        // Prompts.
        foreach (var (kind, value) in Required())
        {
            Add($"StoreVersion prompt.Tool {kind}", "prompt.Tool", h => h.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = value!, Provider = "kimi", Content = "c" }));
            Add($"StoreVersion prompt.Provider {kind}", "prompt.Provider", h => h.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = Tool, Provider = value!, Content = "c" }));
            Add($"Activate tool {kind}", "tool", h => h.Prompts.ActivateAsync(value!, "kimi", "v1"));
            Add($"Activate provider {kind}", "provider", h => h.Prompts.ActivateAsync(Tool, value!, "v1"));
            Add($"Activate version {kind}", "version", h => h.Prompts.ActivateAsync(Tool, "kimi", value!));
            Add($"Rollback tool {kind}", "tool", h => h.Prompts.RollbackAsync(value!, "kimi"));
            Add($"Deactivate provider {kind}", "provider", h => h.Prompts.DeactivateAsync(Tool, value!));
            Add($"GetVersions tool {kind}", "tool", h => h.Prompts.GetVersionsAsync(value!, "kimi"));
            Add($"GetStatistics version {kind}", "version", h => h.Prompts.GetStatisticsAsync(Tool, "kimi", value!));
            Add($"Compare candidateVersion {kind}", "candidateVersion", h => h.Prompts.CompareAsync(Tool, "kimi", "v1", value!));
            Add($"Resolve tool {kind}", "tool", h => h.Resolver.ResolveAsync(value!, "kimi").AsTask());
            Add($"Resolve provider {kind}", "provider", h => h.Resolver.ResolveAsync(Tool, value!).AsTask());
            Add($"ImportDirectory directory {kind}", "directory", h => h.Prompts.ImportDirectoryAsync(value!));
        }

        foreach (var (kind, value) in new[] { ("null", null), ("empty", string.Empty), ("over-long", ContentTooLong), ("NUL", "a\0b"), ("lone surrogate", "\uD800") })
        {
            Add($"StoreVersion prompt.Content {kind}", "prompt.Content", h => h.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = Tool, Provider = "kimi", Content = value! }));
        }

        foreach (var (kind, value) in Optional())
        {
            Add($"StoreVersion prompt.Version {kind}", "prompt.Version", h => h.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = Tool, Provider = "kimi", Content = "c", Version = value }));
            Add($"StoreVersion prompt.Author {kind}", "prompt.Author", h => h.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = Tool, Provider = "kimi", Content = "c", Author = value }));
            Add($"Activate changedBy {kind}", "changedBy", h => h.Prompts.ActivateAsync(Tool, "kimi", "v1", changedBy: value));
            Add($"Activate reason {kind}", "reason", h => h.Prompts.ActivateAsync(Tool, "kimi", "v1", reason: value));
        }

        foreach (var tier in new[] { -1, 4, int.MaxValue })
        {
            Add($"StoreVersion prompt.Tier {tier}", "prompt.Tier", h => h.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = Tool, Provider = "kimi", Content = "c", Tier = tier }));
        }

        Add("StoreVersion prompt null", "prompt", h => h.Prompts.StoreVersionAsync(null!));
        Add("Import prompts null", "prompts", h => h.Prompts.ImportAsync(null!));
        Add("Import a null prompt", "prompts", h => h.Prompts.ImportAsync([null!]));
        Add("Import activation unknown", "activation", h => h.Prompts.ImportAsync([new NewPromptVersion { Tool = Tool, Provider = "kimi", Content = "c" }], (PromptImportActivation)9));
        Add("GetHistory limit 0", "limit", h => h.Prompts.GetHistoryAsync(Tool, "kimi", 0));
        Add("GetHistory limit negative", "limit", h => h.Prompts.GetHistoryAsync(Tool, "kimi", -3));
        Sync("RecordExecution prompt null", "prompt", h => h.Resolver.RecordExecution(null!, TimeSpan.Zero, true));
        Sync("RecordExecution duration negative", "duration", h => h.Resolver.RecordExecution(s_resolved!, TimeSpan.FromSeconds(-1), true));
        Sync("RecordExecution tokenCount negative", "tokenCount", h => h.Resolver.RecordExecution(s_resolved!, TimeSpan.FromMilliseconds(1), true, tokenCount: -1));
        foreach (var (kind, value) in BadMetadata())
        {
            Sync($"RecordExecution metadata {kind}", "metadata", h => h.Resolver.RecordExecution(s_resolved!, TimeSpan.FromMilliseconds(1), true, metadata: value()));
        }

        // Issues.
        foreach (var (kind, value) in Required(ContentTooLong))
        {
            Sync($"AddComment body {kind}", "body", h => h.Issues.AddComment(s_issue, value!));
            Sync($"RecordFix fix {kind}", "fix", h => h.Issues.RecordFix(s_issue, value!));
            Sync($"RecordVerification result {kind}", "result", h => h.Issues.RecordVerification(s_issue, value!));
        }

        foreach (var (kind, value) in Optional(ContentTooLong))
        {
            Sync($"CreateIssue draft.Description {kind}", "draft.Description", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", Description = value }));
            Sync($"CreateIssue draft.RootCause {kind}", "draft.RootCause", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", RootCause = value }));
            Add($"Transition note {kind}", "note", h => h.Issues.TransitionAsync(s_issue, IssueStatus.InProgress, value));
        }

        foreach (var (kind, value) in Required())
        {
            Sync($"CreateIssue draft.Title {kind}", "draft.Title", h => h.Issues.CreateIssue(new IssueDraft { Title = value! }));
            Sync($"LinkConversation continuationId {kind}", "continuationId", h => h.Issues.LinkConversation(s_issue, value!));
            Add($"AddChecklistItem text {kind}", "text", h => h.Issues.AddChecklistItemAsync(s_issue, value!));
            Sync($"CreateIssue draft.Checklist item {kind}", "draft.Checklist", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", Checklist = [value!] }));
        }

        foreach (var (kind, value) in Optional())
        {
            Sync($"CreateIssue draft.Category {kind}", "draft.Category", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", Category = value }));
            Sync($"CreateIssue draft.Assignee {kind}", "draft.Assignee", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", Assignee = value }));
            Sync($"CreateIssue draft.Components item {kind}", "draft.Components", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", Components = [value!] }));
            Sync($"AddComment author {kind}", "author", h => h.Issues.AddComment(s_issue, "ok", value));
            Add($"List cursor {kind}", "cursor", h => h.Issues.ListAsync(cursor: value));
        }

        Sync("CreateIssue draft null", "draft", h => h.Issues.CreateIssue(null!));
        Sync("CreateIssue draft.Severity unknown", "draft.Severity", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", Severity = (IssueSeverity)99 }));
        Sync("CreateIssue draft.Priority unknown", "draft.Priority", h => h.Issues.CreateIssue(new IssueDraft { Title = "t", Priority = (IssuePriority)(-7) }));
        Sync("AddComment issueId empty", "issueId", h => h.Issues.AddComment(Guid.Empty, "x"));
        Add("Transition to unknown", "to", h => h.Issues.TransitionAsync(s_issue, (IssueStatus)99));
        Add("Transition issueId empty", "issueId", h => h.Issues.TransitionAsync(Guid.Empty, IssueStatus.InProgress));
        Add("SetChecklistItemState state unknown", "state", h => h.Issues.SetChecklistItemStateAsync(s_item, (ChecklistItemState)77));
        Add("SetChecklistItemState itemId empty", "itemId", h => h.Issues.SetChecklistItemStateAsync(Guid.Empty, ChecklistItemState.Completed));
        Add("ReorderChecklist itemIds null", "itemIds", h => h.Issues.ReorderChecklistAsync(s_issue, null!));
        Add("Update changes null", "changes", h => h.Issues.UpdateAsync(s_issue, null!));
        Add("List pageSize 0", "pageSize", h => h.Issues.ListAsync(pageSize: 0));
        Add("List pageSize negative", "pageSize", h => h.Issues.ListAsync(pageSize: -1));
        Add("List cursor garbage", "cursor", h => h.Issues.ListAsync(cursor: "not-a-cursor"));

        // Scope creation.
        Add("ForUser userId empty", "userId", _ =>
        {
            ExaiScope.ForUser(Guid.Empty);
            return Task.CompletedTask;
        });

        // Change feed subscriptions.
        Add("Subscription tables null", "tables", _ =>
        {
            GC.KeepAlive(new ChangeFeedSubscription((IEnumerable<string>)null!));
            return Task.CompletedTask;
        });
        Add("Subscription no tables", "tables", _ =>
        {
            GC.KeepAlive(new ChangeFeedSubscription());
            return Task.CompletedTask;
        });
        foreach (var (kind, value) in Required())
        {
            Add($"Subscription table {kind}", "tables", _ =>
            {
                GC.KeepAlive(new ChangeFeedSubscription(value!));
                return Task.CompletedTask;
            });
            Add($"Filter column {kind}", "column", _ =>
            {
                ChangeFilter.Equal(value!, 1);
                return Task.CompletedTask;
            });
            Add($"DropSlot slotName {kind}", "slotName", h => h.Feed.DropSlotAsync(value!));
        }

        foreach (var (kind, value) in Optional().Append(("injection", "x; DROP TABLE messages")).Append(("upper case", "Slot")))
        {
            Add($"Subscription SlotName {kind}", "subscription.SlotName", h =>
            {
                h.Feed.SubscribeAsync(new ChangeFeedSubscription("messages") { SlotName = value });
                return Task.CompletedTask;
            });
        }

        Add("Subscribe subscription null", "subscription", h =>
        {
            h.Feed.SubscribeAsync(null!);
            return Task.CompletedTask;
        });
        Add("Subscribe acknowledgement unknown", "subscription.Acknowledgement", h =>
        {
            h.Feed.SubscribeAsync(new ChangeFeedSubscription("messages") { Acknowledgement = (ChangeAcknowledgement)9 });
            return Task.CompletedTask;
        });

        return all.Select(c => new TestCaseData(c.Param, (Func<Task>)(() => c.Call(s_harness))).SetArgDisplayNames(c.Name));
    }

    [OneTimeSetUp]
    public async Task SeedAsync()
    {
        s_apis = await LocalFileApis.StartAsync();
        s_db = await MigratedDatabase.CreateAsync("exai_bad_input");
        s_harness = SecurityHarness.Create(s_db.ConnectionString, s_apis);
        await H.Store.GetOrCreateAsync(Thread, new ConversationThreadDetails { Title = "seed" });
        H.Store.Append(Thread, ConversationTurn.User("seed turn"));
        s_file = (await H.Files.StoreAsync(new FileRegistration { StoragePath = "seed/file.txt" }, FilesHarness.Content("seed"))).Id;
        s_issue = H.Issues.CreateIssue(new IssueDraft { Title = "seed issue", Checklist = ["seed item"] });
        await H.Prompts.StoreVersionAsync(new NewPromptVersion { Tool = Tool, Provider = "kimi", Content = "seed prompt", Version = "v1" });
        await H.Prompts.ActivateAsync(Tool, "kimi", "v1");
        await H.FlushAsync();
        s_item = (await H.Issues.GetChecklistAsync(s_issue)).Single().Id;
        s_resolved = await H.Resolver.ResolveAsync(Tool, "kimi");
    }

    [OneTimeTearDown]
    public async Task DropAsync()
    {
        await s_harness.DisposeAsync();
        await s_apis.DisposeAsync();
        await s_db.DisposeAsync();
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Bad_input_is_refused_at_the_call_naming_the_argument_and_changes_nothing(string param, Func<Task> call)
    {
        var rows = await RowCountsAsync();
        var recorded = H.Outbox.GetStatistics().Recorded;
        var objects = s_apis.Storage.Objects.Count;

        var act = async () => await call();

        var thrown = (await act.Should().ThrowAsync<ArgumentException>()).Which;
        $"{thrown.ParamName} {thrown.Message}".Should().Contain(param, "the exception names the argument");
        H.Outbox.GetStatistics().Recorded.Should().Be(recorded, "nothing was queued");
        await H.FlushAsync();
        (await RowCountsAsync()).Should().Be(rows, "the database is unchanged");
        s_apis.Storage.Objects.Count.Should().Be(objects, "nothing was stored");
    }

    [TestCase("NUL")]
    [TestCase("lone surrogate")]
    [TestCase("over-long")]
    [TestCase("whitespace")]
    public async Task A_malformed_access_token_is_refused_with_the_typed_token_error_naming_the_check(string kind)
    {
        var token = kind switch
        {
            "NUL" => "a\0b.c.d",
            "lone surrogate" => "eyJ\uD800.eyJ.sig",
            "over-long" => string.Concat(Enumerable.Repeat(TooLong, 10)),
            _ => "Bearer   ",
        };

        var act = () => H.Tokens.ValidateAsync(token);

        var thrown = (await act.Should().ThrowAsync<SupabaseTokenException>()).Which;
        thrown.Failure.Should().BeOneOf(SupabaseTokenFailure.Malformed, SupabaseTokenFailure.Missing);
        thrown.Message.Should().Contain("token");
    }

    [TestCaseSource(nameof(Injections))]
    public async Task Sql_injection_strings_are_data_stored_and_read_back_verbatim(string text)
    {
        var seedTurns = await s_db.ScalarAsync<long>("SELECT count(*) FROM messages WHERE content = 'seed turn'");
        var tables = await s_db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
        var continuationId = "inj-" + text;
        var metadata = new JsonObject { [text] = text, ["nested"] = new JsonArray(text) };
        await H.Store.GetOrCreateAsync(continuationId, new ConversationThreadDetails
        {
            Title = text, ToolName = text, Provider = text, Model = text, Metadata = metadata,
            Session = new ConversationSession { Id = Guid.NewGuid(), ClientName = text, ClientFingerprint = text, Metadata = metadata },
        });
        H.Store.Append(continuationId, new ConversationTurn { Role = "tool", Content = text, ToolName = text, Provider = text, Model = text, ToolCallId = text, Metadata = metadata });
        var path = "inj/" + text.Replace('/', '_');
        var file = H.Files.Register(new FileRegistration { StoragePath = path, OriginalName = text, Metadata = metadata, SizeBytes = 1 });
        var upload = H.Files.RecordUpload(file.Id, "kimi", text, "file-extract");
        var issue = H.Issues.CreateIssue(new IssueDraft
        {
            Title = text, Description = text, Category = text, RootCause = text, Assignee = text, ReportedBy = text,
            Components = [text], AffectedFiles = [text], Conversations = [continuationId], Checklist = [text], Metadata = metadata,
        });
        H.Issues.AddComment(issue, text, text);
        var prompt = await H.Prompts.StoreVersionAsync(new NewPromptVersion
        {
            Tool = text, Provider = "kimi", Content = text, Version = "v-" + text, Author = text, ChangeDescription = text, Metadata = metadata,
        });
        await H.FlushAsync();

        var thread = await H.Store.GetOrCreateAsync(continuationId);
        thread.IsNew.Should().BeFalse();
        thread.Title.Should().Be(text);
        thread.ToolName.Should().Be(text);
        JsonNode.Parse(thread.MetadataJson!)![text]!.GetValue<string>().Should().Be(text);
        var turn = (await H.Store.GetHistoryAsync(continuationId)).Single();
        turn.Content.Should().Be(text);
        turn.ToolName.Should().Be(text);
        turn.Model.Should().Be(text);
        turn.ToolCallId.Should().Be(text);
        (await H.Store.GetPageAsync(continuationId, 5)).Messages.Single().Content.Should().Be(text);
        var stored = await H.Files.GetFileAsync(file.Id);
        stored!.StoragePath.Should().Be(path);
        stored.OriginalName.Should().Be(text);
        (await H.Files.GetUploadsAsync(file.Id)).Single().ProviderFileId.Should().Be(text);
        (await H.Files.CountUploadReferencesAsync("kimi", text)).Should().Be(1);
        upload.ProviderFileId.Should().Be(text);
        var savedIssue = await H.Issues.GetAsync(issue);
        savedIssue!.Title.Should().Be(text);
        savedIssue.Description.Should().Be(text);
        savedIssue.Components.Should().Equal(text);
        (await H.Issues.GetChecklistAsync(issue)).Single().Text.Should().Be(text);
        (await H.Issues.GetUpdatesAsync(issue)).Select(u => u.Body).Should().Contain(text);
        (await H.Issues.ListAsync(new IssueFilter { Text = text })).Items.Select(i => i.Id).Should().Contain(issue);
        var versions = await H.Prompts.GetVersionsAsync(text, "kimi");
        versions.Single().Content.Should().Be(text);
        versions.Single().Version.Should().Be(prompt.Version.Version);

        (await s_db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).Should().Be(tables, "no table was dropped");
        (await s_db.ScalarAsync<long>("SELECT count(*) FROM messages WHERE content = 'seed turn'")).Should().Be(seedTurns, "other rows are untouched");
        (await s_db.ScalarAsync<long>("SELECT count(*) FROM files WHERE storage_path = 'seed/file.txt'")).Should().Be(1);
        (await s_db.ScalarAsync<long>("SELECT count(*) FROM conversations WHERE user_id IS NOT NULL")).Should().Be(0);
        H.Outbox.GetStatistics().DeadLettered.Should().Be(0);
    }

    private static Task<string?> RowCountsAsync() =>
        s_db.ScalarAsync<string>("SELECT " + string.Join(" || ',' || ", TableNames.All.Select(t => $"'{t}=' || (SELECT count(*) FROM {TableNames.Schema}.{t})")));
}

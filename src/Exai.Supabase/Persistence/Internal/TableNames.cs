namespace Exai.Supabase.Persistence.Internal;

/// <summary>
/// The one place table names live. The EF model, the migrations' raw SQL and the outbox's landing SQL all read
/// them from here. The names of the fixed tables are a contract with existing databases and Supabase itself.
/// </summary>
internal static class TableNames
{
    public const string Schema = "public";

    public const string Sessions = "sessions";
    public const string Conversations = "conversations";
    public const string Messages = "messages";
    public const string ConversationFiles = "conversation_files";
    public const string Files = "files";
    public const string ProviderFileUploads = "provider_file_uploads";
    public const string FileDeletionJobs = "file_deletion_jobs";
    public const string Issues = "issues";
    public const string IssueUpdates = "issue_updates";
    public const string IssueChecklistItems = "issue_checklist_items";
    public const string SystemPrompts = "system_prompts";
    public const string PromptVersions = "prompt_versions";
    public const string PromptPerformance = "prompt_performance";
    public const string OutboxDeadLetters = "outbox_dead_letters";

    /// <summary>EF Core's migration history for this library, apart from any other EF application's.</summary>
    public const string MigrationsHistory = "__exai_migrations_history";

    /// <summary>Every table the library creates, in dependency order (parents first).</summary>
    public static readonly IReadOnlyList<string> All =
    [
        Sessions, Conversations, Messages, Files, ConversationFiles, ProviderFileUploads, FileDeletionJobs,
        Issues, IssueUpdates, IssueChecklistItems, SystemPrompts, PromptVersions, PromptPerformance, OutboxDeadLetters,
    ];

    /// <summary>The fixed names a foreign (non-Exai) database may already use; migrate refuses to overwrite them.</summary>
    public static readonly IReadOnlyList<string> Fixed =
    [
        Sessions, Conversations, Messages, ConversationFiles, Files, ProviderFileUploads, FileDeletionJobs,
        Issues, IssueUpdates, IssueChecklistItems, SystemPrompts, PromptVersions, PromptPerformance,
    ];

    /// <summary>
    /// Shared tables: every signed-in user may read all their rows (none is owned by a user), only the service side
    /// writes them. The row-level security policies and the change feed's user-scope rule both follow this list.
    /// </summary>
    public static readonly IReadOnlyList<string> SharedWithUsers =
        [SystemPrompts, PromptVersions, PromptPerformance, Issues, IssueUpdates, IssueChecklistItems];

    /// <summary>The tables in the <c>supabase_realtime</c> publication.</summary>
    public static readonly IReadOnlyList<string> Realtime =
        [Conversations, Messages, Files, ProviderFileUploads, Issues, SystemPrompts];
}

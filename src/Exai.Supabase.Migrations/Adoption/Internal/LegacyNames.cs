using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Migrations.Adoption.Internal;

/// <summary>
/// The names of EX-AI-MCP-Server's tables that adoption replaces, and of the backup schema that keeps them. The
/// library's own table and column names stay in <see cref="TableNames"/> and <see cref="ColumnNames"/>.
/// </summary>
internal static class LegacyNames
{
    /// <summary>The schema the replaced legacy tables (and the views over them) are moved into, untouched.</summary>
    public const string BackupSchema = "exai_legacy";

    /// <summary>The table in <see cref="BackupSchema"/> that records what adoption moved and copied.</summary>
    public const string Journal = "adoption_journal";

    public const string FileMetadata = "file_metadata";
    public const string ExaiIssues = "exai_issues";
    public const string ExaiIssueUpdates = "exai_issue_updates";
    public const string ExaiIssueChecklist = "exai_issue_checklist";
    public const string ExaiIssuesTracker = "exai_issues_tracker";
    public const string Phase1Issues = "phase1_issues";

    /// <summary>
    /// <c>source_table</c> of the stand-in rows made for references nothing resolves (a message of a conversation
    /// that does not exist, a link to a file id that names no file, an update of a deleted issue): their
    /// <c>source_id</c> is the reference as it was stored.
    /// </summary>
    public const string UnresolvedConversations = "unresolved:conversations";

    /// <inheritdoc cref="UnresolvedConversations"/>
    public const string UnresolvedFiles = "unresolved:files";

    /// <inheritdoc cref="UnresolvedConversations"/>
    public const string UnresolvedIssues = "unresolved:issues";

    /// <summary>Legacy tables whose names the library never uses.</summary>
    public static readonly IReadOnlyList<string> LegacyOnly =
        [FileMetadata, ExaiIssues, ExaiIssueUpdates, ExaiIssueChecklist, ExaiIssuesTracker, Phase1Issues];

    /// <summary>Every legacy table adoption consolidates (and moves to <see cref="BackupSchema"/>).</summary>
    public static readonly IReadOnlyList<string> Replaced =
    [
        TableNames.Sessions, TableNames.Conversations, TableNames.Messages, TableNames.Files, TableNames.ConversationFiles,
        TableNames.ProviderFileUploads, TableNames.FileDeletionJobs, TableNames.Issues, .. LegacyOnly,
    ];

    /// <summary>
    /// Fixed names with no legacy counterpart to consolidate: a same-named table that is not the library's blocks
    /// adoption rather than being moved aside with its rows unrepresented.
    /// </summary>
    public static readonly IReadOnlyList<string> Unsupported =
        [.. TableNames.Fixed.Where(t => !Replaced.Contains(t, StringComparer.Ordinal))];
}

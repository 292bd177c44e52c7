namespace Exai.Supabase.Persistence.Internal;

/// <summary>Column names that raw SQL (policies, landing statements, adoption) refers to.</summary>
internal static class ColumnNames
{
    public const string Id = "id";
    public const string UserId = "user_id";
    public const string ConversationId = "conversation_id";
    public const string ContinuationId = "continuation_id";
    public const string SessionId = "session_id";
    public const string FileId = "file_id";
    public const string IssueId = "issue_id";
    public const string SourceTable = "source_table";
    public const string SourceId = "source_id";
    public const string Metadata = "metadata";
}

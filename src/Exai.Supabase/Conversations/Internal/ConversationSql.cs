using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// The statements of the read path, each one index scan: the thread by <c>ux_conversations_continuation_id</c> (an
/// init plan), its turns by <c>ix_messages_conversation_id_created_at</c> — forwards for the history, backwards for
/// the newest turns and keyset pages — and threads by the <c>(session_id | user_id, last_activity_at DESC)</c> indexes.
/// Parameters: <c>@cid</c>, <c>@now</c> (expired threads are hidden), <c>@n</c>, <c>@at</c>/<c>@id</c> (the cursor).
/// </summary>
internal static class ConversationSql
{
    /// <summary>
    /// Run before the turn reads, in their transaction. A thread's turns are few on average, so for a thread id known
    /// only at run time the planner prefers a bitmap scan and a sort — which, for a long thread, reads every turn to
    /// return the last few. Without bitmap scans it walks the index backwards and stops at the limit, whatever the
    /// thread's length.
    /// </summary>
    public const string PlanSettings = "SET LOCAL enable_bitmapscan = off";

    public const string MessageColumns =
        "m.id, m.role, m.content, m.contents, m.tool_name, m.provider, m.model, m.input_tokens, m.output_tokens, m.token_count, m.tool_call_id, m.metadata, m.created_at";

    public const string ThreadColumns =
        "c.id, c.continuation_id, c.session_id, c.user_id, c.parent_continuation_id, c.title, c.tool_name, c.provider, c.model, c.metadata, c.created_at, c.last_activity_at, c.expires_at";

    private const string Live = "(c.expires_at IS NULL OR c.expires_at > @now)";

    private const string ThreadOf = $"(SELECT c.id FROM {TableNames.Schema}.{TableNames.Conversations} c WHERE c.continuation_id = @cid AND {Live})";

    private const string Messages = $"{TableNames.Schema}.{TableNames.Messages}";

    public const string Thread = $"SELECT {ThreadColumns} FROM {TableNames.Schema}.{TableNames.Conversations} c WHERE c.continuation_id = @cid AND {Live}";

    public const string History = $"SELECT {MessageColumns} FROM {Messages} m WHERE m.conversation_id = {ThreadOf} ORDER BY m.created_at, m.id";

    public const string Newest = $"SELECT {MessageColumns} FROM {Messages} m WHERE m.conversation_id = {ThreadOf} ORDER BY m.created_at DESC, m.id DESC LIMIT @n";

    public const string OlderThan =
        $"SELECT {MessageColumns} FROM {Messages} m WHERE m.conversation_id = {ThreadOf} AND (m.created_at, m.id) < (@at, @id) ORDER BY m.created_at DESC, m.id DESC LIMIT @n";

    /// <summary>Turns by id (those a change event announced), oldest first; <c>@cid</c> scopes them to the thread.</summary>
    public const string ByIds =
        $"SELECT {MessageColumns} FROM {Messages} m WHERE m.conversation_id = {ThreadOf} AND m.id = ANY(@ids) ORDER BY m.created_at, m.id";

    public const string SessionThreads =
        $"SELECT {ThreadColumns} FROM {TableNames.Schema}.{TableNames.Conversations} c WHERE c.session_id = @owner AND {Live} ORDER BY c.last_activity_at DESC LIMIT @n";

    public const string UserThreads =
        $"SELECT {ThreadColumns} FROM {TableNames.Schema}.{TableNames.Conversations} c WHERE c.user_id = @owner AND {Live} ORDER BY c.last_activity_at DESC LIMIT @n";

    public const string Files =
        $"SELECT f.file_id, f.message_id, f.created_at FROM {TableNames.Schema}.{TableNames.ConversationFiles} f WHERE f.conversation_id = {ThreadOf} ORDER BY f.created_at, f.id";

    /// <summary>Deletes one small batch of expired threads (turns and links cascade); instances skip each other's rows.</summary>
    public const string DeleteExpired = $"""
        DELETE FROM {TableNames.Schema}.{TableNames.Conversations}
        WHERE id IN (SELECT id FROM {TableNames.Schema}.{TableNames.Conversations}
                     WHERE expires_at <= @now ORDER BY expires_at LIMIT @n FOR UPDATE SKIP LOCKED)
        """;
}

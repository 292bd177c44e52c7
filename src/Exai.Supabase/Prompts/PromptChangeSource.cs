namespace Exai.Supabase.Prompts;

/// <summary>How a prompt change made by another instance reaches this instance's cache.</summary>
public enum PromptChangeSource
{
    /// <summary>
    /// PostgreSQL's <c>LISTEN/NOTIFY</c> on channel <c>exai_prompts</c> (a trigger notifies every change). Needs one
    /// direct session per instance and no special privilege. The default.
    /// </summary>
    Notify,

    /// <summary>
    /// The realtime change feed (logical replication over <c>supabase_realtime</c>), shared with the library's other
    /// change listeners. Needs the REPLICATION privilege and a replication slot per instance.
    /// </summary>
    ChangeFeed,
}

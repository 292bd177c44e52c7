namespace Exai.Supabase.Conversations;

/// <summary>Fixed limits of conversation input, checked before anything is recorded.</summary>
public static class ConversationLimits
{
    /// <summary>The longest continuation id, in UTF-16 characters (the database checks it too).</summary>
    public const int MaxContinuationIdLength = 256;

    /// <summary>The most turns one read (the last N, a page) returns.</summary>
    public const int MaxMessagesPerRead = 10_000;

    /// <summary>The most threads one list of a session's or user's threads returns.</summary>
    public const int MaxThreadsPerList = 1_000;
}

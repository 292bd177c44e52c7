namespace Exai.Supabase.Conversations;

/// <summary>Settings of <see cref="ConversationChatClient"/>.</summary>
public sealed class ConversationChatClientOptions
{
    /// <summary>How many of the newest stored turns are sent ahead of the request (when no token budget is set).</summary>
    /// <value>The default value is 100.</value>
    public int HistoryMessages { get; set; } = 100;

    /// <summary>When set, the history sent is the newest turns within this many tokens instead of a count.</summary>
    /// <value>The default value is <see langword="null"/> (use <see cref="HistoryMessages"/>).</value>
    public int? HistoryTokenBudget { get; set; }

    /// <summary>
    /// Whether the request's system messages are stored in the thread. Tools usually send their (versioned) system
    /// prompt with every call; by default it is sent first, ahead of the stored history, and not stored.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool StoreSystemMessages { get; set; }

    /// <summary>The tool name stored with the turns this client appends.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ToolName { get; set; }
}

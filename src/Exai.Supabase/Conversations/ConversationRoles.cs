namespace Exai.Supabase.Conversations;

/// <summary>The roles a turn may have (the database checks them too).</summary>
public static class ConversationRoles
{
    /// <summary>Instructions for the model.</summary>
    public const string System = "system";

    /// <summary>The person (or client) talking to the model.</summary>
    public const string User = "user";

    /// <summary>The model's answer, possibly with tool calls.</summary>
    public const string Assistant = "assistant";

    /// <summary>The result of a tool call, answering a call by its id.</summary>
    public const string Tool = "tool";

    /// <summary>Returns the canonical role for <paramref name="role"/> (compared without regard to case), or <see langword="null"/> for an unknown role.</summary>
    /// <param name="role">A role name.</param>
    /// <returns>One of the constants of this class, or <see langword="null"/>.</returns>
    public static string? Normalize(string? role) => role switch
    {
        System or User or Assistant or Tool => role,
        null => null,
        _ when string.Equals(role, System, StringComparison.OrdinalIgnoreCase) => System,
        _ when string.Equals(role, User, StringComparison.OrdinalIgnoreCase) => User,
        _ when string.Equals(role, Assistant, StringComparison.OrdinalIgnoreCase) => Assistant,
        _ when string.Equals(role, Tool, StringComparison.OrdinalIgnoreCase) => Tool,
        _ => null,
    };
}

using Exai.Supabase.Conversations;
using Exai.Supabase.Files;
using Exai.Supabase.Issues;
using Exai.Supabase.Prompts;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Exai.Supabase.McpServer.Recording;

/// <summary>
/// Which failures are the caller's to read. The library throws typed exceptions whose messages name the argument,
/// its value and the fix; those go back to the client as a tool error (<c>isError: true</c>) with that message, so
/// the model can correct itself. Anything else keeps the SDK's generic "An error occurred invoking …" and is logged.
/// </summary>
internal static class ToolErrors
{
    public static bool IsForCaller(Exception exception) => exception is
        ArgumentException                   // bad input: InvalidContinuationIdException, UnknownIssueValueException, FileLimitExceededException, PromptVersionConflictException, …
        or PromptNotFoundException          // lists every place looked at
        or IssueNotFoundException
        or InvalidIssueTransitionException  // names the allowed moves
        or ConversationUnavailableException // the database is down and this process knows nothing of the thread
        or ProviderFileException            // a provider refused or failed (never carries the key)
        or FileStorageException
        or UnauthorizedAccessException      // a write the current scope may not make
        or McpException;                    // thrown by a tool on purpose

    public static CallToolResult Result(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    /// <summary>The text of an error result, as recorded.</summary>
    public static string? Text(CallToolResult result) =>
        result.IsError is true
            ? string.Join(" ", result.Content.OfType<TextContentBlock>().Select(b => b.Text))
            : null;
}

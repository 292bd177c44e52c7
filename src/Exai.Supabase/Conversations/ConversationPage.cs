namespace Exai.Supabase.Conversations;

/// <summary>One page of a thread's turns, oldest first, and the cursor of the page before it.</summary>
/// <param name="Messages">The turns of the page, oldest first.</param>
/// <param name="OlderCursor">Pass it to get the page of older turns; <see langword="null"/> when there are none.</param>
/// <param name="FromLocalView">
/// Whether the database was unreachable and the page came from this process's cache and pending turns (then older
/// pages end where the cache ends).
/// </param>
public sealed record ConversationPage(IReadOnlyList<ConversationMessage> Messages, string? OlderCursor, bool FromLocalView);

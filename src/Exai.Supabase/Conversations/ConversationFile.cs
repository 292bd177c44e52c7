namespace Exai.Supabase.Conversations;

/// <summary>A file a thread refers to (a row of <c>conversation_files</c>).</summary>
/// <param name="FileId">The file (a row of <c>files</c>).</param>
/// <param name="MessageId">The turn that referred to it first, when known.</param>
/// <param name="LinkedAt">When the link was recorded.</param>
/// <param name="IsPending">Whether the link is known only from this process's not-yet-landed turns.</param>
public sealed record ConversationFile(Guid FileId, Guid? MessageId, DateTimeOffset LinkedAt, bool IsPending);

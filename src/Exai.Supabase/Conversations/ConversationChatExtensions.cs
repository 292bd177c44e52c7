using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Exai.Supabase.Conversations;

/// <summary>
/// Conversions between turns and Microsoft.Extensions.AI's <see cref="ChatMessage"/>: roles, text, tool calls
/// (<see cref="FunctionCallContent"/> with call id, name and arguments) and tool results
/// (<see cref="FunctionResultContent"/> with call id and result) survive the round trip through the database.
/// </summary>
public static class ConversationChatExtensions
{
    private const string AuthorNameKey = "author_name";
    private const string ChatMessageIdKey = "chat_message_id";

    /// <summary>The turn as a <see cref="ChatMessage"/>; its <see cref="ChatMessage.MessageId"/> is the turn's id.</summary>
    /// <param name="message">The stored turn.</param>
    /// <returns>A new chat message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static ChatMessage ToChatMessage(this ConversationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var chat = new ChatMessage(ToChatRole(message.Role), message.GetContents())
        {
            MessageId = message.Id.ToString(),
            CreatedAt = message.CreatedAt,
        };
        if (message.MetadataJson is not null && message.GetMetadata() is { } metadata
            && metadata[AuthorNameKey] is JsonValue author && author.TryGetValue<string>(out var name))
        {
            chat.AuthorName = name;
        }

        return chat;
    }

    /// <summary>
    /// The chat message as a turn to append. Text-only messages are stored as plain text; anything else (tool calls,
    /// tool results, data) also as structured content. The author name and the message id are kept in metadata.
    /// </summary>
    /// <param name="message">The chat message.</param>
    /// <returns>The turn.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Its role is none of system, user, assistant and tool.</exception>
    public static ConversationTurn ToConversationTurn(this ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var role = ConversationRoles.Normalize(message.Role.Value)
            ?? throw new ArgumentOutOfRangeException(nameof(message), message.Role.Value, $"The role '{message.Role.Value}' has no place in a thread; use system, user, assistant or tool.");
        JsonObject? metadata = null;
        if (message.AuthorName is not null)
        {
            metadata = new JsonObject { [AuthorNameKey] = message.AuthorName };
        }

        if (message.MessageId is not null)
        {
            (metadata ??= [])[ChatMessageIdKey] = message.MessageId;
        }

        var plain = message.Contents.All(c => c is TextContent { Annotations: null, AdditionalProperties: null });
        return new ConversationTurn
        {
            Role = role,
            Content = message.Text,
            Contents = plain ? null : message.Contents.ToList(),
            ToolCallId = message.Contents.OfType<FunctionResultContent>().FirstOrDefault()?.CallId,
            Metadata = metadata,
        };
    }

    /// <summary>Appends a chat message to the thread (see <see cref="IConversationStore.Append"/>).</summary>
    /// <param name="store">The store.</param>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="message">The message.</param>
    /// <returns>The new turn's id.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The message's role is unknown.</exception>
    public static Guid Append(this IConversationStore store, string continuationId, ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Append(continuationId, message.ToConversationTurn());
    }

    /// <summary>Appends chat messages to the thread in order (see <see cref="IConversationStore.AppendRange"/>).</summary>
    /// <param name="store">The store.</param>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="messages">The messages, oldest first.</param>
    /// <returns>The new turns' ids.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A message's role is unknown.</exception>
    public static IReadOnlyList<Guid> AppendRange(this IConversationStore store, string continuationId, IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(messages);
        return store.AppendRange(continuationId, messages.Select(m => (m ?? throw new ArgumentNullException(nameof(messages), "A message is null.")).ToConversationTurn()).ToList());
    }

    /// <summary>The thread as chat messages: the newest <paramref name="count"/> turns, oldest first, or the whole history.</summary>
    /// <param name="store">The store.</param>
    /// <param name="continuationId">The continuation id.</param>
    /// <param name="count">How many of the newest turns; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The messages.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ConversationUnavailableException">The database is unreachable and this process holds nothing of the thread.</exception>
    public static async Task<List<ChatMessage>> GetChatMessagesAsync(this IConversationStore store, string continuationId, int? count = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var turns = count is { } n
            ? await store.GetLastAsync(continuationId, n, cancellationToken).ConfigureAwait(false)
            : await store.GetHistoryAsync(continuationId, cancellationToken).ConfigureAwait(false);
        return turns.Select(ToChatMessage).ToList();
    }

    private static ChatRole ToChatRole(string role) => role switch
    {
        ConversationRoles.System => ChatRole.System,
        ConversationRoles.User => ChatRole.User,
        ConversationRoles.Assistant => ChatRole.Assistant,
        ConversationRoles.Tool => ChatRole.Tool,
        _ => new ChatRole(role),
    };
}

using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Exai.Supabase.Conversations;

/// <summary>
/// An <see cref="IChatClient"/> that keeps each conversation's history in an <see cref="IConversationStore"/>, keyed
/// by <see cref="ChatOptions.ConversationId"/> (the continuation id). For a request with a conversation id it sends
/// the stored history ahead of the new messages, then appends the new messages and the response (with its model and
/// token counts) to the thread, and returns the conversation id on the response so callers such as function-invoking
/// clients send only new messages next time. Requests without a conversation id pass through untouched.
/// </summary>
/// <remarks>
/// The stored history never starts with a tool result whose call was cut off by the window. The inner client gets
/// the request's options without the conversation id: the history is managed here, not by the provider.
/// </remarks>
public sealed class ConversationChatClient : DelegatingChatClient
{
    private readonly IConversationStore _store;
    private readonly ConversationChatClientOptions _options;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client that talks to the model.</param>
    /// <param name="store">Where the threads are kept.</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> or <paramref name="store"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count or budget in <paramref name="options"/> is not positive.</exception>
    public ConversationChatClient(IChatClient innerClient, IConversationStore store, ConversationChatClientOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? new ConversationChatClientOptions();
        if (_options.HistoryMessages is < 1 or > ConversationLimits.MaxMessagesPerRead)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.HistoryMessages, $"HistoryMessages must be between 1 and {ConversationLimits.MaxMessagesPerRead}.");
        }

        if (_options.HistoryTokenBudget is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.HistoryTokenBudget, "HistoryTokenBudget must be positive when set.");
        }
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (options?.ConversationId is not { } continuationId)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        var (prompt, toStore) = await PrepareAsync(continuationId, messages, cancellationToken).ConfigureAwait(false);
        var response = await base.GetResponseAsync(prompt, WithoutConversation(options), cancellationToken).ConfigureAwait(false);
        Store(continuationId, toStore, response);
        response.ConversationId = continuationId;
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (options?.ConversationId is not { } continuationId)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var (prompt, toStore) = await PrepareAsync(continuationId, messages, cancellationToken).ConfigureAwait(false);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(prompt, WithoutConversation(options), cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            update.ConversationId = continuationId;
            yield return update;
        }

        Store(continuationId, toStore, updates.ToChatResponse());
    }

    private static ChatOptions WithoutConversation(ChatOptions options)
    {
        var clone = options.Clone();
        clone.ConversationId = null;
        return clone;
    }

    private static int? Tokens(long? value) => value is { } v ? (int)Math.Clamp(v, 0, int.MaxValue) : null;

    private async Task<(List<ChatMessage> Prompt, List<ChatMessage> ToStore)> PrepareAsync(string continuationId, IEnumerable<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var request = messages.ToList();
        IReadOnlyList<ConversationMessage> history;
        try
        {
            history = _options.HistoryTokenBudget is { } budget
                ? await _store.GetWithinTokenBudgetAsync(continuationId, budget, cancellationToken).ConfigureAwait(false)
                : await _store.GetLastAsync(continuationId, _options.HistoryMessages, cancellationToken).ConfigureAwait(false);
        }
        catch (ConversationUnavailableException)
        {
            // Nothing of this thread is known while the database is down: it goes on from the new messages alone.
            history = [];
        }

        var skip = 0;
        while (skip < history.Count && history[skip].Role == ConversationRoles.Tool)
        {
            skip++;
        }

        var prompt = new List<ChatMessage>(request.Count + history.Count - skip);
        var toStore = new List<ChatMessage>(request.Count);
        if (!_options.StoreSystemMessages)
        {
            prompt.AddRange(request.Where(m => m.Role == ChatRole.System));
        }

        for (var i = skip; i < history.Count; i++)
        {
            prompt.Add(history[i].ToChatMessage());
        }

        foreach (var message in request)
        {
            if (message.Role == ChatRole.System && !_options.StoreSystemMessages)
            {
                continue;
            }

            prompt.Add(message);
            toStore.Add(message);
        }

        return (prompt, toStore);
    }

    private void Store(string continuationId, List<ChatMessage> request, ChatResponse response)
    {
        var provider = InnerClient.GetService<ChatClientMetadata>()?.ProviderName;
        var turns = new List<ConversationTurn>(request.Count + response.Messages.Count);
        turns.AddRange(request.Select(m => m.ToConversationTurn() with { ToolName = _options.ToolName }));
        var lastAssistant = -1;
        foreach (var message in response.Messages)
        {
            if (message.Role == ChatRole.Assistant)
            {
                lastAssistant = turns.Count;
            }

            turns.Add(message.ToConversationTurn() with { ToolName = _options.ToolName, Provider = provider, Model = response.ModelId });
        }

        if (lastAssistant >= 0 && response.Usage is { } usage)
        {
            turns[lastAssistant] = turns[lastAssistant] with
            {
                InputTokens = Tokens(usage.InputTokenCount),
                OutputTokens = Tokens(usage.OutputTokenCount),
                TokenCount = Tokens(usage.OutputTokenCount),
            };
        }

        _store.AppendRange(continuationId, turns);
    }
}

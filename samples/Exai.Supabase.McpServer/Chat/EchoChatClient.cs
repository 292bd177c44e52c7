using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Exai.Supabase.McpServer.Chat;

/// <summary>
/// The model used when none is configured: it answers with the last user message and says which user turn of the
/// conversation that is and what the previous one was, so memory by <c>continuation_id</c> can be seen (and tested)
/// without a model.
/// </summary>
internal sealed class EchoChatClient : IChatClient
{
    public const string ModelName = "echo-1";

    private static readonly ChatClientMetadata Metadata = new(ChatSettings.EchoProvider, null, ModelName);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var all = messages.ToList();
        var users = all.Where(m => m.Role == ChatRole.User).Select(m => m.Text).ToList();
        var text = users.Count == 0
            ? "echo: (no user message)"
            : string.Create(CultureInfo.InvariantCulture, $"echo: {users[^1]} (user turn {users.Count} of this conversation{(users.Count > 1 ? $"; previous: \"{users[^2]}\"" : string.Empty)})");
        var input = all.Sum(m => Tokens(m.Text));
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ModelName,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = Tokens(text), TotalTokenCount = input + Tokens(text) },
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    // The usual rough estimate (four characters a token); good enough for a model that does not exist.
    private static int Tokens(string text) => Math.Max(1, (text.Length + 3) / 4);
}

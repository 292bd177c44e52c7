using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Exai.Supabase.Conversations;
using Exai.Supabase.McpServer.Chat;
using Exai.Supabase.Prompts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Exai.Supabase.McpServer.Tools;

/// <summary>
/// <c>chat</c> and <c>memory_history</c>: the in-process counterparts of the seed's <c>exai-chat</c> and <c>memory</c>
/// edge functions. The thread lives in <see cref="IConversationStore"/> under its <c>continuation_id</c>, so a
/// conversation continues across calls, restarts and instances.
/// </summary>
[McpServerToolType]
internal sealed class ChatTools(IChatClient model, IConversationStore conversations, IPromptResolver prompts, IOptions<ChatSettings> settings)
{
    /// <summary>The tool name the system prompt is stored and looked up under.</summary>
    public const string ToolName = "chat";

    [McpServerTool(Name = ToolName, Title = "Chat with memory", Destructive = false, OpenWorld = true, UseStructuredContent = true)]
    [Description("Sends a message to the configured model with the conversation so far and returns its answer. "
        + "Pass the continuation_id of an earlier answer to continue that conversation; leave it out to start a new one "
        + "(the answer carries its continuation_id).")]
    public async Task<ChatAnswer> ChatAsync(
        [Description("The message to the model.")] string prompt,
        [Description("The conversation to continue (from an earlier answer); omit to start a new conversation.")] string? continuation_id = null,
        [Description("Ids of files (from file_register) this message refers to; they are linked to the conversation.")] Guid[]? file_ids = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new ArgumentException("prompt must not be empty or white space: give the message to send to the model.", nameof(prompt));
        }

        var options = settings.Value;
        var provider = options.EffectiveProvider;
        var isNew = string.IsNullOrEmpty(continuation_id);
        var continuationId = isNew ? Guid.NewGuid().ToString() : continuation_id!;
        var history = isNew ? [] : await ReadHistoryAsync(continuationId, options.HistoryMessages, cancellationToken);
        var system = await prompts.ResolveAsync(ToolName, provider, cancellationToken);

        // As the seed's exai-chat does: the user's message is saved first (which also validates it before the model
        // is paid for), then the answer. Both are queued: neither waits for the database.
        conversations.Append(continuationId, new ConversationTurn
        {
            Role = ConversationRoles.User,
            Content = prompt,
            ToolName = ToolName,
            FileIds = file_ids is { Length: > 0 } ? file_ids : null,
        });

        List<ChatMessage> request = [new(ChatRole.System, system.Content), .. history, new(ChatRole.User, prompt)];
        var started = Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await model.GetResponseAsync(request, new ChatOptions { ModelId = options.EffectiveModel }, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            prompts.RecordExecution(system, Stopwatch.GetElapsedTime(started), success: false, errorMessage: ex.Message, metadata: Metadata(continuationId));
            throw;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var modelName = response.ModelId ?? options.EffectiveModel;
        var answers = response.Messages
            .Select(m => m.ToConversationTurn() with { ToolName = ToolName, Provider = provider, Model = modelName })
            .ToList();
        var last = answers.FindLastIndex(t => t.Role == ConversationRoles.Assistant);
        if (last >= 0 && response.Usage is { } usage)
        {
            answers[last] = answers[last] with
            {
                InputTokens = Tokens(usage.InputTokenCount),
                OutputTokens = Tokens(usage.OutputTokenCount),
                TokenCount = Tokens(usage.OutputTokenCount),
            };
        }

        conversations.AppendRange(continuationId, answers);
        prompts.RecordExecution(system, elapsed, success: true, tokenCount: Tokens(response.Usage?.TotalTokenCount), metadata: Metadata(continuationId));
        return new ChatAnswer(continuationId, response.Text, provider, modelName, system.Version, history.Count, (int)elapsed.TotalMilliseconds);
    }

    [McpServerTool(Name = "memory_history", Title = "Conversation history", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns the newest turns of a conversation, oldest first, as stored under its continuation_id.")]
    public async Task<HistoryPage> HistoryAsync(
        [Description("The conversation's continuation_id.")] string continuation_id,
        [Description("How many of the newest turns to return (1 to 10000).")] int limit = 20,
        CancellationToken cancellationToken = default)
    {
        var turns = await conversations.GetLastAsync(continuation_id, limit, cancellationToken);
        return new HistoryPage(
            continuation_id,
            turns.Select(t => new HistoryTurn(t.Id, t.Role, t.Content, t.ToolName, t.Provider, t.Model, t.CreatedAt, t.IsPending)).ToList());
    }

    private static int? Tokens(long? value) => value is { } v ? (int)Math.Clamp(v, 0, int.MaxValue) : null;

    private static JsonObject Metadata(string continuationId) => new() { ["continuation_id"] = continuationId };

    private async Task<List<ChatMessage>> ReadHistoryAsync(string continuationId, int count, CancellationToken cancellationToken)
    {
        IReadOnlyList<ConversationMessage> turns;
        try
        {
            turns = await conversations.GetLastAsync(continuationId, count, cancellationToken);
        }
        catch (ConversationUnavailableException)
        {
            // The database is down and this process holds nothing of the thread: go on from the new message alone.
            return [];
        }

        // A window that starts with a tool result has lost the call it answers; models refuse such a history.
        return turns.SkipWhile(t => t.Role == ConversationRoles.Tool).Select(t => t.ToChatMessage()).ToList();
    }

    /// <summary>The <c>chat</c> tool's answer.</summary>
    /// <param name="ContinuationId">Pass it back to continue this conversation.</param>
    /// <param name="Answer">The model's answer.</param>
    /// <param name="Provider">The provider the system prompt was looked up for.</param>
    /// <param name="Model">The model that answered.</param>
    /// <param name="PromptVersion">The system prompt's version (<c>fallback</c> for the one in code).</param>
    /// <param name="HistoryTurns">How many earlier turns were sent with the message.</param>
    /// <param name="DurationMs">How long the model took.</param>
    internal sealed record ChatAnswer(
        string ContinuationId, string Answer, string Provider, string Model, string PromptVersion, int HistoryTurns, int DurationMs);

    /// <summary>The <c>memory_history</c> tool's answer.</summary>
    /// <param name="ContinuationId">The conversation.</param>
    /// <param name="Turns">Its newest turns, oldest first.</param>
    internal sealed record HistoryPage(string ContinuationId, IReadOnlyList<HistoryTurn> Turns);

    /// <summary>One turn.</summary>
    /// <param name="Id">The turn's id.</param>
    /// <param name="Role">system, user, assistant or tool.</param>
    /// <param name="Content">Its text.</param>
    /// <param name="ToolName">The tool that stored it.</param>
    /// <param name="Provider">The provider that produced it.</param>
    /// <param name="Model">The model that produced it.</param>
    /// <param name="CreatedAt">When it was appended.</param>
    /// <param name="Pending">Whether it is still on its way to the database.</param>
    internal sealed record HistoryTurn(
        Guid Id, string Role, string Content, string? ToolName, string? Provider, string? Model, DateTimeOffset CreatedAt, bool Pending);
}

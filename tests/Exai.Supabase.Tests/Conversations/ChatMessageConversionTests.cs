using System.Runtime.CompilerServices;
using System.Text.Json;
using Exai.Supabase.Conversations;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.Extensions.AI;

namespace Exai.Supabase.Tests.Conversations;

/// <summary>Microsoft.Extensions.AI: turns to and from <see cref="ChatMessage"/>, through the database, and the history client.</summary>
public sealed class ChatMessageConversionTests
{
    private MigratedDatabase _db = null!;
    private ConversationHarness _harness = null!;

    [OneTimeSetUp]
    public async Task CreateDatabaseAsync()
    {
        _db = await MigratedDatabase.CreateAsync("exai_conversation_chat");
        _harness = ConversationHarness.Create(_db.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DropDatabaseAsync()
    {
        await _harness.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Test]
    public async Task Chat_messages_with_tool_calls_and_results_round_trip_through_the_database()
    {
        var id = ConversationHarness.Unique();
        var arguments = new Dictionary<string, object?> { ["city"] = "Sydney", ["days"] = 3 };
        var sent = new List<ChatMessage>
        {
            new(ChatRole.System, "You are a weather bot."),
            new(ChatRole.User, "Weather in Sydney?") { AuthorName = "sam" },
            new(ChatRole.Assistant, [new TextContent("Let me check."), new FunctionCallContent("call_1", "get_weather", arguments)]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", new Dictionary<string, object?> { ["temp_c"] = 21 })]),
            new(ChatRole.Assistant, "21 °C and sunny."),
        };

        _harness.Store.AppendRange(id, sent);
        await _harness.Outbox.FlushAsync();
        var back = (await _harness.Store.GetChatMessagesAsync(id)).ToList();

        back.Select(m => m.Role).Should().Equal(ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant);
        back.Select(m => m.Text).Should().Equal(sent.Select(m => m.Text));
        back[1].AuthorName.Should().Be("sam");
        var call = back[2].Contents.OfType<FunctionCallContent>().Single();
        (call.CallId, call.Name).Should().Be(("call_1", "get_weather"));
        call.Arguments!["city"]!.ToString().Should().Be("Sydney");
        JsonSerializer.Serialize(call.Arguments!["days"]).Should().Be("3");
        var result = back[3].Contents.OfType<FunctionResultContent>().Single();
        result.CallId.Should().Be("call_1");
        JsonSerializer.Serialize(result.Result).Should().Be("""{"temp_c":21}""");
        var stored = await _harness.Store.GetHistoryAsync(id);
        stored[3].ToolCallId.Should().Be("call_1", "the tool result's call id also has its column");
        stored[4].ContentsJson.Should().BeNull("plain text is stored as text only");
        back.Select(m => m.MessageId).Should().Equal(stored.Select(m => m.Id.ToString()));
    }

    [Test]
    public void A_chat_message_with_a_role_a_thread_cannot_hold_is_refused()
    {
        var critic = new ChatMessage(new ChatRole("critic"), "meh");

        FluentActions.Invoking(() => critic.ToConversationTurn()).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*critic*");
    }

    [Test]
    public async Task The_history_client_sends_stored_history_and_keeps_each_exchange_in_the_thread()
    {
        var id = ConversationHarness.Unique();
        var model = new ScriptedModel();
        using var client = new ConversationChatClient(model, _harness.Store, new ConversationChatClientOptions { ToolName = "chat" });
        var options = new ChatOptions { ConversationId = id };

        var first = await client.GetResponseAsync([new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "hi")], options);
        var second = await client.GetResponseAsync([new ChatMessage(ChatRole.System, "be brief"), new ChatMessage(ChatRole.User, "again")], options);

        first.ConversationId.Should().Be(id);
        model.Requests[0].Select(m => m.Text).Should().Equal("be brief", "hi");
        model.Requests[1].Select(m => m.Text).Should().Equal("be brief", "hi", "reply 1", "again");
        model.Options.Should().OnlyContain(o => o!.ConversationId == null, "the history is managed here, not by the provider");
        second.Text.Should().Be("reply 2");
        await _harness.Outbox.FlushAsync();
        var stored = await _harness.Store.GetHistoryAsync(id);
        stored.Select(m => (m.Role, m.Content)).Should().Equal(("user", "hi"), ("assistant", "reply 1"), ("user", "again"), ("assistant", "reply 2"));
        (stored[1].Model, stored[1].Provider, stored[1].InputTokens, stored[1].OutputTokens, stored[1].ToolName).Should().Be(("scripted-1", "scripted", 10, 5, "chat"));
    }

    [Test]
    public async Task The_history_client_streams_and_a_new_client_continues_the_same_thread()
    {
        var id = ConversationHarness.Unique();
        var model = new ScriptedModel();
        using (var client = new ConversationChatClient(model, _harness.Store))
        {
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "stream please")], new ChatOptions { ConversationId = id }))
            {
                updates.Add(update);
            }

            updates.Should().OnlyContain(u => u.ConversationId == id);
            updates.ToChatResponse().Text.Should().Be("reply 1");
        }

        using var next = new ConversationChatClient(model, _harness.Store, new ConversationChatClientOptions { HistoryTokenBudget = 1_000 });
        await next.GetResponseAsync([new ChatMessage(ChatRole.User, "and now?")], new ChatOptions { ConversationId = id });

        model.Requests[1].Select(m => m.Text).Should().Equal("stream please", "reply 1", "and now?");
    }

    [Test]
    public async Task A_history_window_never_starts_with_a_tool_result_whose_call_was_cut_off()
    {
        var id = ConversationHarness.Unique();
        _harness.Store.AppendRange(id,
        [
            new ChatMessage(ChatRole.User, "q"),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "f")]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "r")]),
            new ChatMessage(ChatRole.Assistant, "done"),
        ]);
        var model = new ScriptedModel();
        using var client = new ConversationChatClient(model, _harness.Store, new ConversationChatClientOptions { HistoryMessages = 2 });

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "next")], new ChatOptions { ConversationId = id });

        model.Requests[0].Select(m => m.Role).Should().Equal(ChatRole.Assistant, ChatRole.User);
    }

    [Test]
    public async Task Requests_without_a_conversation_id_pass_through_and_store_nothing()
    {
        var model = new ScriptedModel();
        using var client = new ConversationChatClient(model, _harness.Store);
        var recorded = _harness.Outbox.GetStatistics().Recorded;

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "stateless")]);

        response.Text.Should().Be("reply 1");
        response.ConversationId.Should().BeNull();
        _harness.Outbox.GetStatistics().Recorded.Should().Be(recorded);
    }

    /// <summary>A stand-in model: answers "reply N" and remembers what it was sent.</summary>
    private sealed class ScriptedModel : IChatClient
    {
        public List<List<ChatMessage>> Requests { get; } = [];

        public List<ChatOptions?> Options { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Requests.Add(messages.ToList());
            Options.Add(options);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"reply {Requests.Count}"))
            {
                ModelId = "scripted-1",
                Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 },
            });
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            foreach (var update in response.ToChatResponseUpdates())
            {
                yield return update;
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted") : null;

        public void Dispose()
        {
        }
    }
}

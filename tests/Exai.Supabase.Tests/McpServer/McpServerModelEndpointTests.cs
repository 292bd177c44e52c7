using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Exai.Supabase.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Tests.McpServer;

/// <summary>
/// The <c>chat</c> tool configured for an OpenAI-compatible endpoint (as for Kimi or GLM) instead of the echo model:
/// a loopback stand-in for the chat completions API sees what the server sends.
/// </summary>
public sealed class McpServerModelEndpointTests
{
    private const string ApiKey = "sk-mcp-test-2b7e15c9a04d";

    [Test]
    public async Task Chat_sends_the_thread_to_the_configured_endpoint_with_the_key_and_never_logs_the_key()
    {
        await using var database = await MigratedDatabase.CreateAsync("exai_mcp_model", migrate: false);
        await using var endpoint = await CompletionsStandIn.StartAsync();
        await using var server = await McpServerProcess.StartAsync(database.ConnectionString, new Dictionary<string, string?>
        {
            ["Exai__Chat__Endpoint"] = endpoint.BaseUrl,
            ["Exai__Chat__ApiKey"] = ApiKey,
            ["Exai__Chat__Model"] = "kimi-test-model",
            ["Exai__Chat__Provider"] = "kimi",
            ["Logging__LogLevel__Default"] = "Trace",
        });

        var first = await server.CallOkAsync("chat", new { prompt = "the code word is heron" });
        var continuationId = first.GetProperty("continuation_id").GetString()!;
        var second = await server.CallOkAsync("chat", new { prompt = "what is the code word?", continuation_id = continuationId });

        first.GetProperty("answer").GetString().Should().Be("stand-in answer 1");
        second.GetProperty("answer").GetString().Should().Be("stand-in answer 2");
        second.GetProperty("provider").GetString().Should().Be("kimi");
        endpoint.Requests.Should().HaveCount(2);
        endpoint.Requests.Should().OnlyContain(r => r.Authorization == "Bearer " + ApiKey);
        var sent = endpoint.Requests.Last().Body;
        sent["model"]!.GetValue<string>().Should().Be("kimi-test-model");
        sent["messages"]!.AsArray().Select(m => $"{m!["role"]}:{Text(m["content"])}").Should().Equal(
            $"system:{Text(endpoint.Requests.First().Body["messages"]![0]!["content"])}",
            "user:the code word is heron",
            "assistant:stand-in answer 1",
            "user:what is the code word?");

        await Eventually.TrueAsync(
            async () => await database.ScalarAsync<long>(
                "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id "
                + "WHERE c.continuation_id = @id AND m.role = 'assistant' AND m.provider = 'kimi' AND m.model = 'kimi-test-model'",
                ("id", continuationId)) == 2,
            TimeSpan.FromSeconds(30),
            "the model's two answers landing with provider and model");
        server.StandardError.Should().NotBeEmpty("the server logs at Trace here");
        server.StandardError.Should().NotContain(l => l.Contains(ApiKey, StringComparison.Ordinal), "the API key is never logged");
    }

    // The stand-in answers "content" as a string; a client may also send it as an array of text parts.
    private static string Text(JsonNode? content) => content switch
    {
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>())),
        JsonValue value => value.GetValue<string>(),
        _ => string.Empty,
    };

    /// <summary>A loopback chat completions API: records each request and answers "stand-in answer N".</summary>
    private sealed class CompletionsStandIn : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private CompletionsStandIn(WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public ConcurrentQueue<(string? Authorization, JsonObject Body)> Requests { get; } = new();

        public static async Task<CompletionsStandIn> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            CompletionsStandIn? self = null;
            app.MapPost("/v1/chat/completions", (HttpContext context) => self!.AnswerAsync(context));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            self = new CompletionsStandIn(app, address.TrimEnd('/') + "/v1");
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task AnswerAsync(HttpContext context)
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            Requests.Enqueue((context.Request.Headers.Authorization.ToString(), body));
            var answer = new JsonObject
            {
                ["id"] = $"chatcmpl-{Requests.Count}",
                ["object"] = "chat.completion",
                ["created"] = 1_700_000_000,
                ["model"] = body["model"]?.GetValue<string>(),
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = $"stand-in answer {Requests.Count}" },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 12, ["completion_tokens"] = 3, ["total_tokens"] = 15 },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.ToJsonString());
        }
    }
}

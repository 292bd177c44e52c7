using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Exai.Supabase.Prompts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Exai.Supabase.McpServer.Recording;

/// <summary>
/// The call-tool filter: times every call of one of this server's tools and records it — tool, duration, success,
/// error message — as a <c>prompt_performance</c> row with provider <see cref="Provider"/> and version
/// <see cref="Version"/>, through <see cref="IPromptResolver.RecordExecution"/>. That call only validates and queues
/// (the outbox writes the row in the background), so recording adds no I/O to the call. It also turns the library's
/// typed errors into tool errors that carry their message (see <see cref="ToolErrors"/>).
/// </summary>
/// <remarks>
/// <c>prompt_performance</c> is the seed's table for "how did this execution go" and has exactly the columns a tool
/// call needs (tool_name, provider, execution_time_ms, success, error_message, executed_at, metadata), so the
/// gateway's per-call figures need no table of their own. The rows carry no prompt id, so they never count in a
/// prompt version's statistics; <c>WHERE provider = 'mcp'</c> selects them.
/// </remarks>
internal sealed partial class ToolCallRecorder(IPromptResolver prompts, ILogger<ToolCallRecorder> logger)
{
    /// <summary>The provider recorded for tool calls.</summary>
    public const string Provider = "mcp";

    /// <summary>The version label recorded for tool calls.</summary>
    public const string Version = "tool-call";

    private readonly ConcurrentDictionary<string, ResolvedPrompt> _keys = new(StringComparer.Ordinal);

    /// <summary>The filter, for <c>AddCallToolFilter</c>.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (request, cancellationToken) =>
            request.Services?.GetService<ToolCallRecorder>() is { } recorder
                ? recorder.InvokeAsync(next, request, cancellationToken)
                : next(request, cancellationToken);

    private async ValueTask<CallToolResult> InvokeAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next, RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        // Only this server's own tools are recorded: a name a client made up never reaches the database.
        if (request.MatchedPrimitive is not McpServerTool tool)
        {
            return await next(request, cancellationToken);
        }

        var name = tool.ProtocolTool.Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await next(request, cancellationToken);
            Record(request, name, started, result.IsError is not true, ToolErrors.Text(result));
            return result;
        }
        catch (Exception ex) when (ToolErrors.IsForCaller(ex))
        {
            Record(request, name, started, success: false, ex.Message);
            Log.ToolRefused(logger, name, ex.GetType().Name);
            return ToolErrors.Result(ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(request, name, started, success: false, "cancelled by the client");
            throw;
        }
        catch (Exception ex)
        {
            Record(request, name, started, success: false, $"{ex.GetType().Name}: {ex.Message}");
            Log.ToolFailed(logger, name, ex);
            throw;
        }
    }

    private void Record(RequestContext<CallToolRequestParams> request, string tool, long started, bool success, string? error)
    {
        var duration = Stopwatch.GetElapsedTime(started);
        try
        {
            var key = _keys.GetOrAdd(tool, static name => new ResolvedPrompt
            {
                Tool = name,
                Provider = Provider,
                SourceProvider = Provider,
                Content = string.Empty,
                Version = Version,
                Origin = PromptOrigin.CodeFallback,
            });
            var client = request.Server.ClientInfo;
            var metadata = client is null ? null : new JsonObject { ["client"] = client.Name, ["client_version"] = client.Version };
            prompts.RecordExecution(key, duration, success, errorMessage: error, metadata: metadata);
        }
        catch (ArgumentException ex)
        {
            // Recording must never turn a call into a failure (a client name PostgreSQL cannot store, say).
            Log.NotRecorded(logger, tool, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9501, Level = LogLevel.Information, Message = "Tool {Tool} refused the call: {ErrorType}")]
        public static partial void ToolRefused(ILogger logger, string tool, string errorType);

        [LoggerMessage(EventId = 9502, Level = LogLevel.Warning, Message = "Tool {Tool} failed")]
        public static partial void ToolFailed(ILogger logger, string tool, Exception exception);

        [LoggerMessage(EventId = 9503, Level = LogLevel.Warning, Message = "The call of tool {Tool} was not recorded: {Reason}")]
        public static partial void NotRecorded(ILogger logger, string tool, string reason);
    }
}

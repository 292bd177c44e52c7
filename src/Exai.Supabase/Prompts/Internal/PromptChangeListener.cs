using System.Text.Json;
using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// Listens on channel <c>exai_prompts</c>, where the migrations' trigger on <c>system_prompts</c> sends
/// <c>{"tool": …, "provider": …}</c> for every changed row. LISTEN needs a session of its own, so it uses the direct
/// connection (<c>ConnectionStrings:ExaiDirect</c>; Supabase's transaction pooler cannot listen). A lost connection is
/// reconnected with backoff, and every (re)connection asks for a full refresh, since notifications sent while no one
/// listened are gone. An idle connection is checked every <see cref="KeepAlive"/> so a silently dropped one is noticed.
/// </summary>
internal sealed class PromptChangeListener(ExaiDataSources dataSources, IOptions<ExaiSupabaseOptions> options, ILogger<PromptChangeListener> logger)
    : IPromptChangeFeed
{
    /// <summary>The channel; the same name the migrations' trigger notifies (a test holds the two together).</summary>
    public const string Channel = "exai_prompts";

    /// <summary>The <c>application_name</c> suffix of the listening session, to find it in <c>pg_stat_activity</c>.</summary>
    public const string SessionSuffix = " (prompt listener)";

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(10);

    private readonly PromptOptions _options = options.Value.Prompts;

    public async Task RunAsync(IPromptChangeSink sink, CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await dataSources.Direct.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += (_, e) => Dispatch(sink, e.Payload);
                    using (var listen = new NpgsqlCommand($"SELECT set_config('application_name', @name, false); LISTEN {Channel}", connection))
                    {
                        var name = (new NpgsqlConnectionStringBuilder(dataSources.Direct.ConnectionString).ApplicationName ?? string.Empty) + SessionSuffix;
                        listen.Parameters.Add(new NpgsqlParameter("name", NpgsqlDbType.Text) { Value = name.Length > 63 ? name[^63..] : name });
                        await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    PromptsLog.Listening(logger, Channel);
                    delay = _options.ReconnectDelay;
                    sink.Resync();
                    while (true)
                    {
                        if (!await connection.WaitAsync(KeepAlive, cancellationToken).ConfigureAwait(false))
                        {
                            using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = (int)PingTimeout.TotalSeconds };
                            await ping.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                PromptsLog.ListenerDisconnected(logger, PostgresErrors.Describe(ex), delay);
            }

            try
            {
                await Task.Delay(Jittered(delay), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
        }
    }

    private void Dispatch(IPromptChangeSink sink, string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.String
                && root.TryGetProperty("provider", out var provider) && provider.ValueKind == JsonValueKind.String)
            {
                sink.Changed(tool.GetString()!, provider.GetString()!);
                return;
            }
        }
        catch (JsonException)
        {
        }

        PromptsLog.UnreadableNotification(logger);
        sink.Resync();
    }

    // Instances that lost the same server reconnect at different moments, not all at once.
    private static TimeSpan Jittered(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.8 + (0.4 * Random.Shared.NextDouble()))));
}

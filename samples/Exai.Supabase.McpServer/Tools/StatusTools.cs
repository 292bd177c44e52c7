using System.ComponentModel;
using Exai.Supabase.McpServer.Chat;
using Exai.Supabase.Outbox;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Exai.Supabase.McpServer.Tools;

/// <summary><c>server_status</c>: which model answers, and how the write queue stands (optionally after draining it).</summary>
[McpServerToolType]
internal sealed class StatusTools(IExaiOutbox outbox, IOptions<ChatSettings> settings)
{
    [McpServerTool(Name = "server_status", Title = "Server status", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Reports the model in use and the write queue (recorded, persisted, queued, spilled, whether the database "
        + "answers). With flush, first waits (up to flush_timeout_seconds) until every write queued so far is in the database.")]
    public async Task<StatusAnswer> StatusAsync(
        [Description("Whether to wait until every write queued so far is in the database.")] bool flush = false,
        [Description("How long to wait for the flush, 1 to 300 seconds.")] int flush_timeout_seconds = 10,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flush_timeout_seconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(flush_timeout_seconds, 300);
        bool? flushed = null;
        if (flush)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(flush_timeout_seconds));
            try
            {
                await outbox.FlushAsync(deadline.Token);
                flushed = true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                flushed = false;
            }
        }

        var chat = settings.Value;
        var stats = outbox.GetStatistics();
        return new StatusAnswer(
            chat.EffectiveProvider, chat.EffectiveModel, chat.UsesEcho, stats.DatabaseAvailable, flushed,
            stats.Recorded, stats.Persisted, stats.DeadLettered, stats.QueueDepth, stats.Spilled, stats.WaitingForParent, (long)stats.Lag.TotalMilliseconds);
    }

    /// <summary>The <c>server_status</c> tool's answer.</summary>
    /// <param name="Provider">The provider the chat tool uses.</param>
    /// <param name="Model">The model.</param>
    /// <param name="EchoModel">Whether it is the built-in echo model (no endpoint configured).</param>
    /// <param name="DatabaseAvailable">Whether the database answered the write queue's last attempt.</param>
    /// <param name="Flushed">With flush: whether every queued write reached the database in time.</param>
    /// <param name="Recorded">Writes recorded since start.</param>
    /// <param name="Persisted">Writes in the database.</param>
    /// <param name="DeadLettered">Writes the database refused (kept in outbox_dead_letters).</param>
    /// <param name="Queued">Writes waiting in memory.</param>
    /// <param name="Spilled">Writes moved to local files while the database was away.</param>
    /// <param name="WaitingForParent">Writes waiting for a parent row.</param>
    /// <param name="LagMs">Age of the oldest queued write.</param>
    internal sealed record StatusAnswer(
        string Provider, string Model, bool EchoModel, bool DatabaseAvailable, bool? Flushed,
        long Recorded, long Persisted, long DeadLettered, long Queued, long Spilled, long WaitingForParent, long LagMs);
}

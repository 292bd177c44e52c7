using System.Diagnostics;
using Exai.Supabase.Conversations;
using Exai.Supabase.Realtime;

namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>A subscriber on the <c>supabase_realtime</c> publication sees a turn appended through the library.</summary>
internal static class ChangeFeedStep
{
    public const string Name = "Change event received";

    public static async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var feed = context.Get<IChangeFeed>();
        var store = context.Get<IConversationStore>();
        var continuationId = $"demo-{context.RunId}";
        var marker = $"change-feed marker {context.RunId}";
        var slotsBefore = (await feed.GetSlotsAsync(cancellationToken)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(20));
        var received = WaitForMarkerAsync(feed, marker, stop.Token);
        try
        {
            // The slot's creation is the moment from which every commit is delivered.
            await DemoContext.WaitUntilAsync(
                async () => received.IsCompleted || (await feed.GetSlotsAsync(cancellationToken)).Any(s => !slotsBefore.Contains(s.Name)),
                TimeSpan.FromSeconds(10),
                "the subscriber's replication slot appearing",
                cancellationToken);
            if (received.IsFaulted)
            {
                await received;
            }

            var appended = Stopwatch.GetTimestamp();
            store.Append(continuationId, ConversationTurn.User(marker));
            var change = await received;
            var latency = Stopwatch.GetElapsedTime(appended);
            return $"{change.Kind} on {change.Table} (LSN {change.Lsn}) received {latency.TotalMilliseconds:0} ms after Append returned, outbox batching included";
        }
        catch (ChangeFeedPermissionException denied)
        {
            throw new SkipStepException($"the role may not replicate: {denied.Message}");
        }
        catch (ChangeFeedConfigurationException unset)
        {
            throw new SkipStepException($"the server is not set up for the change feed: {unset.Message}");
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new StepFailedException("no change event arrived within 20 s");
        }
        finally
        {
            await stop.CancelAsync();
            await received.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private static async Task<ChangeEvent> WaitForMarkerAsync(IChangeFeed feed, string marker, CancellationToken cancellationToken)
    {
        await foreach (var change in feed.SubscribeAsync(new ChangeFeedSubscription("messages"), cancellationToken))
        {
            if (change.Kind == ChangeKind.Insert && change.NewValues.TryGetValue("content", out var content) && Equals(content, marker))
            {
                return change;
            }
        }

        throw new StepFailedException("the change feed ended without the appended turn");
    }
}

using System.Diagnostics;
using System.Globalization;
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

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(45));
        var received = WaitForMarkerAsync(feed, marker, stop.Token);
        try
        {
            // A new slot delivers the commits made after it became consistent, which can take a while on a busy
            // server (it waits for the transactions running when it was asked for): a marker turn is appended each
            // second until one arrives, and the latency is taken from the one that did.
            var appendedAt = new List<long>();
            while (!received.IsCompleted)
            {
                appendedAt.Add(Stopwatch.GetTimestamp());
                store.Append(continuationId, ConversationTurn.User($"{marker} #{appendedAt.Count}"));
                await Task.WhenAny(received, Task.Delay(TimeSpan.FromSeconds(1), stop.Token));
            }

            var change = await received;
            var number = int.Parse(((string)change.NewValues["content"]!)[(marker.Length + 2)..], CultureInfo.InvariantCulture);
            var latency = Stopwatch.GetElapsedTime(appendedAt[number - 1]);
            return $"{change.Kind} on {change.Table} (LSN {change.Lsn}) received {latency.TotalMilliseconds:0} ms after Append returned, outbox batching included" +
                   (number > 1 ? $" (marker {number}: the new slot took {number - 1} s to become consistent)" : "");
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
            throw new StepFailedException("no change event arrived within 45 s");
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
            if (change.Kind == ChangeKind.Insert && change.NewValues.TryGetValue("content", out var content)
                && content is string text && text.StartsWith(marker + " #", StringComparison.Ordinal))
            {
                return change;
            }
        }

        throw new StepFailedException("the change feed ended without the appended turn");
    }
}

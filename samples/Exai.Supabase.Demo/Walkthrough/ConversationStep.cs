using System.Diagnostics;
using Exai.Supabase.Conversations;
using Exai.Supabase.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>A thread started on one tool-server host and continued on a second, by its continuation id.</summary>
internal static class ConversationStep
{
    public const string Name = "Conversation across two hosts";

    public static async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var continuationId = $"demo-{context.RunId}";
        var first = context.Get<IConversationStore>();
        await first.GetOrCreateAsync(continuationId, new ConversationThreadDetails { Title = "why does the parser hang?" }, cancellationToken);
        first.Append(continuationId, ConversationTurn.User("Why does the parser hang on an empty file?"));
        first.Append(continuationId, new ConversationTurn { Role = ConversationRoles.Assistant, Content = "It waits for a token that never comes.", Model = "kimi-k2", OutputTokens = 9 });
        await context.Get<IExaiOutbox>().FlushAsync(cancellationToken);

        var secondHost = await context.StartHostAsync(cancellationToken);
        var second = secondHost.Services.GetRequiredService<IConversationStore>();
        var thread = await second.GetOrCreateAsync(continuationId, cancellationToken: cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var seen = await second.GetHistoryAsync(continuationId, cancellationToken);
        var readMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        DemoContext.Check(seen.Count == 2, $"the second host sees {seen.Count} turn(s) of the thread, not 2");
        DemoContext.Check(thread.Title == "why does the parser hang?", $"the second host sees the title '{thread.Title}'");

        second.Append(continuationId, ConversationTurn.User("And how do I fix it?"));
        await secondHost.Services.GetRequiredService<IExaiOutbox>().FlushAsync(cancellationToken);
        var back = await first.GetLastAsync(continuationId, 10, cancellationToken);
        DemoContext.Check(
            back.Count == 3 && back[^1].Content == "And how do I fix it?",
            $"the first host reads {back.Count} turn(s) ending in '{(back.Count > 0 ? back[^1].Content : "")}', not the second host's turn");

        return $"thread '{continuationId}': 2 turns on host 1, read by host 2 in {readMs:0.0} ms, its third turn read back by host 1";
    }
}

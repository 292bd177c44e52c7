using Exai.Supabase.Issues;
using Exai.Supabase.Outbox;

namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>An issue taken through its whole flow, with a transition the flow refuses.</summary>
internal static class IssueStep
{
    public const string Name = "Issue through its states";

    public static async Task<string> RunAsync(DemoContext context, CancellationToken cancellationToken)
    {
        var issues = context.Get<IIssueTracker>();
        var id = issues.CreateIssue(new IssueDraft
        {
            Title = $"Parser hangs on an empty file ({context.RunId})",
            Severity = IssueSeverity.High,
            Components = ["parser"],
            Conversations = [$"demo-{context.RunId}"],
            Checklist = ["Reproduce", "Fix the lexer loop"],
        });
        await context.Get<IExaiOutbox>().FlushAsync(cancellationToken);

        await issues.TransitionAsync(id, IssueStatus.InProgress, author: "demo", cancellationToken: cancellationToken);
        issues.RecordFix(id, "The lexer returns end-of-input on an empty buffer", author: "demo");
        await issues.TransitionAsync(id, IssueStatus.Fixed, author: "demo", cancellationToken: cancellationToken);
        issues.RecordVerification(id, "Empty and one-byte files parse", author: "demo");
        await issues.TransitionAsync(id, IssueStatus.Verified, author: "demo", cancellationToken: cancellationToken);
        await issues.TransitionAsync(id, IssueStatus.Closed, author: "demo", cancellationToken: cancellationToken);

        string refusal;
        try
        {
            await issues.TransitionAsync(id, IssueStatus.Fixed, cancellationToken: cancellationToken);
            throw new StepFailedException("closed -> fixed was accepted");
        }
        catch (InvalidIssueTransitionException expected)
        {
            refusal = expected.Message;
        }

        await context.Get<IExaiOutbox>().FlushAsync(cancellationToken);
        var issue = await issues.GetAsync(id, cancellationToken) ?? throw new StepFailedException($"issue {id} is not in the database");
        var updates = await issues.GetUpdatesAsync(id, cancellationToken);
        DemoContext.Check(issue.Status == IssueStatus.Closed, $"the issue is {issue.Status}, not closed");
        DemoContext.Check(updates.Count >= 6, $"the issue has {updates.Count} updates, expected at least 6 (4 status changes, a fix, a verification)");
        var counts = await issues.CountByStatusAsync(cancellationToken: cancellationToken);

        return $"open -> in_progress -> fixed -> verified -> closed with {updates.Count} updates; closed -> fixed refused ({refusal.TrimEnd('.')}); {counts.Closed} closed issue(s) on the dashboard";
    }
}

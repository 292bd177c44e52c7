using System.ComponentModel;
using Exai.Supabase.Issues;
using ModelContextProtocol.Server;

namespace Exai.Supabase.McpServer.Tools;

/// <summary>
/// <c>issue_create</c>, <c>issue_update</c>, <c>issue_get</c>: the one issue tracker (<see cref="IIssueTracker"/>).
/// Values are taken as text in any spelling EX-AI's tables used (<c>CRITICAL</c>, <c>P0</c>, <c>Won't Fix</c>, …),
/// read through <see cref="IssueVocabulary"/>.
/// </summary>
[McpServerToolType]
internal sealed class IssueTools(IIssueTracker issues)
{
    private const string StatusValues = "open, in_progress, fixed, verified, closed or wont_fix";

    [McpServerTool(Name = "issue_create", Title = "Report an issue", Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Records a new issue (status open) and returns its id at once; the write is queued, never waited for.")]
    public async Task<IssueAnswer> CreateAsync(
        [Description("The title.")] string title,
        [Description("What happens, how to reproduce it.")] string? description = null,
        [Description("critical, high, medium (the default) or low (legacy spellings such as CRITICAL or P0 are read too).")] string severity = "medium",
        [Description("p0 to p3; omit for the one the severity implies.")] string? priority = null,
        [Description("A free category, such as timeout or security.")] string? category = null,
        [Description("The components affected.")] string[]? components = null,
        [Description("The files affected.")] string[]? affected_files = null,
        [Description("A conversation (continuation_id) to link to the issue.")] string? continuation_id = null,
        [Description("Steps to do, in order.")] string[]? checklist = null,
        [Description("Who reports it.")] string? reported_by = null,
        CancellationToken cancellationToken = default)
    {
        var id = issues.CreateIssue(new IssueDraft
        {
            Title = title,
            Description = description,
            Severity = IssueVocabulary.ParseSeverity(severity),
            Priority = priority is null ? null : IssueVocabulary.ParsePriority(priority),
            Category = category,
            Components = components ?? [],
            AffectedFiles = affected_files ?? [],
            Conversations = continuation_id is null ? [] : [continuation_id],
            Checklist = checklist ?? [],
            ReportedBy = reported_by,
        });

        // This process reads its own queued issue back without waiting for the database.
        var issue = await issues.GetAsync(id, cancellationToken) ?? throw new IssueNotFoundException(id);
        return IssueAnswer.From(issue);
    }

    [McpServerTool(Name = "issue_update", Title = "Update an issue", Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Changes an issue: its fields, its status (checked against the status flow; the error names the allowed moves), "
        + "a fix applied, a comment. Give at least one change. Returns the issue after the change.")]
    public async Task<IssueAnswer> UpdateAsync(
        [Description("The issue's id (from issue_create).")] Guid issue_id,
        [Description("The new status: " + StatusValues + ".")] string? status = null,
        [Description("Why the status changes (kept with the status change).")] string? note = null,
        [Description("A new title.")] string? title = null,
        [Description("A new description (empty clears it).")] string? description = null,
        [Description("A new severity.")] string? severity = null,
        [Description("A new priority.")] string? priority = null,
        [Description("A new category (empty clears it).")] string? category = null,
        [Description("The root cause (empty clears it).")] string? root_cause = null,
        [Description("Who works on it (empty clears it).")] string? assignee = null,
        [Description("A fix applied (recorded in the history; does not move the status).")] string? fix = null,
        [Description("A comment to add.")] string? comment = null,
        [Description("Who makes the change.")] string? author = null,
        CancellationToken cancellationToken = default)
    {
        var changes = new IssueChanges
        {
            Title = title,
            Description = description,
            Severity = severity is null ? null : IssueVocabulary.ParseSeverity(severity),
            Priority = priority is null ? null : IssueVocabulary.ParsePriority(priority),
            Category = category,
            RootCause = root_cause,
            Assignee = assignee,
        };
        var to = status is null ? (IssueStatus?)null : IssueVocabulary.ParseStatus(status);
        var hasFieldChanges = changes != new IssueChanges();
        if (!hasFieldChanges && to is null && fix is null && comment is null)
        {
            throw new ArgumentException(
                "Nothing to update: give at least one of status, title, description, severity, priority, category, root_cause, assignee, fix or comment.",
                nameof(issue_id));
        }

        // The queued writes below (fix, comment) would wait for an issue that never comes: check it exists first.
        _ = await issues.GetAsync(issue_id, cancellationToken) ?? throw new IssueNotFoundException(issue_id);
        if (hasFieldChanges)
        {
            await issues.UpdateAsync(issue_id, changes, author, cancellationToken);
        }

        if (fix is not null)
        {
            issues.RecordFix(issue_id, fix, author);
        }

        if (to is { } target)
        {
            await issues.TransitionAsync(issue_id, target, note, author, cancellationToken);
        }

        if (comment is not null)
        {
            issues.AddComment(issue_id, comment, author);
        }

        var issue = await issues.GetAsync(issue_id, cancellationToken) ?? throw new IssueNotFoundException(issue_id);
        return IssueAnswer.From(issue);
    }

    [McpServerTool(Name = "issue_get", Title = "Read an issue", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns an issue with its checklist and the history of its changes.")]
    public async Task<IssueDetails> GetAsync(
        [Description("The issue's id.")] Guid issue_id,
        CancellationToken cancellationToken = default)
    {
        var issue = await issues.GetAsync(issue_id, cancellationToken) ?? throw new IssueNotFoundException(issue_id);
        var checklist = await issues.GetChecklistAsync(issue_id, cancellationToken);
        var updates = await issues.GetUpdatesAsync(issue_id, cancellationToken);
        return new IssueDetails(
            IssueAnswer.From(issue),
            checklist.Select(i => new ChecklistEntry(i.Id, i.Position, i.Text, IssueVocabulary.ToText(i.State))).ToList(),
            updates.Select(u => new UpdateEntry(
                IssueVocabulary.ToText(u.Kind), u.Body, u.FromStatus is { } f ? IssueVocabulary.ToText(f) : null,
                u.ToStatus is { } t ? IssueVocabulary.ToText(t) : null, u.Author, u.CreatedAt)).ToList());
    }

    /// <summary>An issue.</summary>
    /// <param name="IssueId">Its id.</param>
    /// <param name="Title">Its title.</param>
    /// <param name="Status">Its status.</param>
    /// <param name="Severity">Its severity.</param>
    /// <param name="Priority">Its priority.</param>
    /// <param name="Description">Its description.</param>
    /// <param name="Category">Its category.</param>
    /// <param name="Components">The components affected.</param>
    /// <param name="LinkedConversations">The conversations linked to it.</param>
    /// <param name="RootCause">The root cause.</param>
    /// <param name="Fix">The latest fix applied (once saved).</param>
    /// <param name="Assignee">Who works on it.</param>
    /// <param name="UpdatedAt">When its fields or status last changed.</param>
    /// <param name="Pending">Whether it is still on its way to the database.</param>
    internal sealed record IssueAnswer(
        Guid IssueId, string Title, string Status, string Severity, string Priority, string? Description, string? Category,
        IReadOnlyList<string> Components, IReadOnlyList<string> LinkedConversations, string? RootCause, string? Fix, string? Assignee,
        DateTimeOffset UpdatedAt, bool Pending)
    {
        public static IssueAnswer From(Issue issue) => new(
            issue.Id, issue.Title, IssueVocabulary.ToText(issue.Status), IssueVocabulary.ToText(issue.Severity), IssueVocabulary.ToText(issue.Priority),
            issue.Description, issue.Category, issue.Components, issue.LinkedConversations, issue.RootCause, issue.Fix, issue.Assignee,
            issue.UpdatedAt, issue.IsPending);
    }

    /// <summary>The <c>issue_get</c> tool's answer.</summary>
    /// <param name="Issue">The issue.</param>
    /// <param name="Checklist">Its checklist, in order.</param>
    /// <param name="Updates">Its history, oldest first (saved entries only).</param>
    internal sealed record IssueDetails(IssueAnswer Issue, IReadOnlyList<ChecklistEntry> Checklist, IReadOnlyList<UpdateEntry> Updates);

    /// <summary>A checklist item.</summary>
    /// <param name="Id">Its id.</param>
    /// <param name="Position">Its position, from 1.</param>
    /// <param name="Text">What to do.</param>
    /// <param name="State">pending, completed or skipped.</param>
    internal sealed record ChecklistEntry(Guid Id, int Position, string Text, string State);

    /// <summary>An entry of an issue's history.</summary>
    /// <param name="Kind">What happened.</param>
    /// <param name="Body">Its text.</param>
    /// <param name="FromStatus">The status before, for a status change.</param>
    /// <param name="ToStatus">The status after, for a status change.</param>
    /// <param name="Author">Who.</param>
    /// <param name="CreatedAt">When.</param>
    internal sealed record UpdateEntry(string Kind, string? Body, string? FromStatus, string? ToStatus, string? Author, DateTimeOffset CreatedAt);
}

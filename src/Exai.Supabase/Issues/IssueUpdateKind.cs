namespace Exai.Supabase.Issues;

/// <summary>What one entry of an issue's history records, stored in <c>issue_updates.kind</c>.</summary>
/// <remarks>The values start at 1 so an unset (zero) value is never mistaken for a real one.</remarks>
public enum IssueUpdateKind
{
    /// <summary><c>created</c>: the issue was reported.</summary>
    Created = 1,

    /// <summary><c>comment</c>: a note.</summary>
    Comment = 2,

    /// <summary><c>status_change</c>: the status moved; the entry names the statuses it moved from and to.</summary>
    StatusChange = 3,

    /// <summary><c>fix_applied</c>: a fix was made; its text became the issue's <see cref="Issue.Fix"/>.</summary>
    FixApplied = 4,

    /// <summary><c>verification</c>: the result of checking a fix.</summary>
    Verification = 5,

    /// <summary><c>conversation_link</c>: a conversation (by continuation id) was linked to the issue.</summary>
    ConversationLink = 6,

    /// <summary><c>field_change</c>: fields other than the status changed; the entry's metadata lists them.</summary>
    FieldChange = 7,

    /// <summary><c>checklist</c>: a checklist item was added, completed, skipped, reopened, removed, or the list reordered.</summary>
    Checklist = 8,
}

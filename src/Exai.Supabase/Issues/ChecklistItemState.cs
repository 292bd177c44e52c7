namespace Exai.Supabase.Issues;

/// <summary>The state of one checklist item, stored in <c>issue_checklist_items.state</c>.</summary>
/// <remarks>The values start at 1 so an unset (zero) value is never mistaken for a real one.</remarks>
public enum ChecklistItemState
{
    /// <summary><c>pending</c>: still to do.</summary>
    Pending = 1,

    /// <summary><c>completed</c>: done.</summary>
    Completed = 2,

    /// <summary><c>skipped</c>: deliberately not done.</summary>
    Skipped = 3,
}

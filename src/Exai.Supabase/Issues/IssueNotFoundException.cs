namespace Exai.Supabase.Issues;

/// <summary>Thrown when an issue (or the checklist item named) is not in the database. Nothing was changed.</summary>
public sealed class IssueNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception.</summary>
    public IssueNotFoundException()
        : this("The issue was not found.")
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    public IssueNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public IssueNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a missing issue or checklist item.</summary>
    /// <param name="id">The id looked for.</param>
    /// <param name="checklistItem">Whether <paramref name="id"/> names a checklist item rather than an issue.</param>
    public IssueNotFoundException(Guid id, bool checklistItem = false)
        : base(checklistItem ? $"No checklist item has the id {id}." : $"No issue has the id {id}.")
    {
        Id = id;
        IsChecklistItem = checklistItem;
    }

    /// <summary>The id looked for.</summary>
    public Guid Id { get; }

    /// <summary>Whether <see cref="Id"/> names a checklist item rather than an issue.</summary>
    public bool IsChecklistItem { get; }
}

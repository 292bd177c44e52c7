namespace Exai.Supabase.Issues;

/// <summary>
/// Thrown when a severity, priority, status, update kind or checklist state is not one the tracker knows: a text no
/// legacy spelling maps (<see cref="IssueVocabulary"/>), or an enum value outside its defined members.
/// </summary>
public sealed class UnknownIssueValueException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public UnknownIssueValueException()
        : this("The value is not part of the issue vocabulary.")
    {
    }

    /// <summary>Creates the exception with a message of your own.</summary>
    /// <param name="message">The message.</param>
    public UnknownIssueValueException(string message)
        : base(message)
    {
        Field = string.Empty;
        Accepted = [];
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public UnknownIssueValueException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
        Accepted = [];
    }

    /// <summary>Creates the exception for an unknown value of a field.</summary>
    /// <param name="field">The vocabulary: <c>severity</c>, <c>priority</c>, <c>status</c>, <c>update kind</c> or <c>checklist state</c>.</param>
    /// <param name="value">The value given, as text.</param>
    /// <param name="accepted">The canonical values of the vocabulary.</param>
    /// <param name="paramName">The parameter that carried the value.</param>
    public UnknownIssueValueException(string field, string? value, IReadOnlyList<string> accepted, string? paramName)
        : base(BuildMessage(field, value, accepted), paramName)
    {
        Field = field;
        Value = value;
        Accepted = accepted;
    }

    /// <summary>The vocabulary the value was meant for (<c>severity</c>, <c>status</c>, …); empty when not given.</summary>
    public string Field { get; }

    /// <summary>The value given, as text.</summary>
    public string? Value { get; }

    /// <summary>The canonical values of that vocabulary.</summary>
    public IReadOnlyList<string> Accepted { get; }

    private static string BuildMessage(string field, string? value, IReadOnlyList<string> accepted) =>
        $"'{value}' is not a known issue {field}; use one of {string.Join(", ", accepted)} " +
        "(IssueVocabulary also accepts the legacy spellings documented on each value, in any case).";
}

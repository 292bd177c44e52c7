namespace Exai.Supabase.Prompts;

/// <summary>
/// No prompt could answer: a lookup found nothing down the whole fallback chain, or a named version (or a version to
/// roll back to) does not exist. <see cref="Tried"/> lists every place that was looked at, in order.
/// </summary>
public sealed class PromptNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public PromptNotFoundException()
        : this("No prompt was found.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public PromptNotFoundException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause (a database error that kept a link of the chain from answering).</param>
    public PromptNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Tool = string.Empty;
        Provider = string.Empty;
        Tried = [];
    }

    /// <summary>Creates the exception for a lookup of <paramref name="tool"/> and <paramref name="provider"/>.</summary>
    /// <param name="tool">The tool asked for.</param>
    /// <param name="provider">The provider asked for.</param>
    /// <param name="version">The version asked for, when a specific one was.</param>
    /// <param name="tried">Every place looked at, in order.</param>
    /// <param name="innerException">The database error that kept a link from answering, if any.</param>
    public PromptNotFoundException(string tool, string provider, string? version, IReadOnlyList<string> tried, Exception? innerException = null)
        : base(Describe(tool, provider, version, tried), innerException)
    {
        Tool = tool;
        Provider = provider;
        Version = version;
        Tried = tried;
    }

    /// <summary>The tool asked for.</summary>
    public string Tool { get; }

    /// <summary>The provider asked for.</summary>
    public string Provider { get; }

    /// <summary>The version asked for; <see langword="null"/> for a lookup of the active prompt.</summary>
    public string? Version { get; }

    /// <summary>Every place that was looked at, in order (for example <c>database: debug/kimi has no active version</c>).</summary>
    public IReadOnlyList<string> Tried { get; }

    private static string Describe(string tool, string provider, string? version, IReadOnlyList<string> tried)
    {
        var what = version is null ? $"No prompt for tool '{tool}' and provider '{provider}'" : $"No version '{version}' of the prompt for tool '{tool}' and provider '{provider}'";
        return tried.Count == 0 ? $"{what}." : $"{what}. Tried: {string.Join("; ", tried)}.";
    }
}

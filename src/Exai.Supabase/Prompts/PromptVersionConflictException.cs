namespace Exai.Supabase.Prompts;

/// <summary>
/// A version label is already taken by different content of the same tool and provider. Versions are immutable:
/// store the new content under a new label (or leave the label out for the next free one).
/// </summary>
public sealed class PromptVersionConflictException : ArgumentException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public PromptVersionConflictException()
        : this("The version label is already taken by different content.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public PromptVersionConflictException(string message)
        : base(message, "version")
    {
        Tool = string.Empty;
        Provider = string.Empty;
        Version = string.Empty;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PromptVersionConflictException(string message, Exception? innerException)
        : base(message, "version", innerException)
    {
        Tool = string.Empty;
        Provider = string.Empty;
        Version = string.Empty;
    }

    /// <summary>Creates the exception for a taken label.</summary>
    /// <param name="tool">The tool.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="version">The label that is taken.</param>
    /// <param name="existingId">The id of the version holding it.</param>
    public PromptVersionConflictException(string tool, string provider, string version, Guid existingId)
        : base($"Version '{version}' of the prompt for tool '{tool}' and provider '{provider}' already exists ({existingId}) with different content. Versions are immutable: store the new content under another label, or leave Version unset for the next free one.", "version")
    {
        Tool = tool;
        Provider = provider;
        Version = version;
        ExistingId = existingId;
    }

    /// <summary>The tool.</summary>
    public string Tool { get; }

    /// <summary>The provider.</summary>
    public string Provider { get; }

    /// <summary>The label that is taken.</summary>
    public string Version { get; }

    /// <summary>The id of the version that holds the label.</summary>
    public Guid? ExistingId { get; }
}

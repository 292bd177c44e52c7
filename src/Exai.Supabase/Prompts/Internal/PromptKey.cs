namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// A (tool, provider) pair as a dictionary key of the cache's bookkeeping (the mirror of active rows, the set of
/// answers): a struct made from the two strings, nothing concatenated. Ordinal comparison, as the database's unique
/// indexes compare. (The hot path probes <see cref="PromptSnapshot.TryGet"/> instead.)
/// </summary>
internal readonly struct PromptKey(string tool, string provider) : IEquatable<PromptKey>
{
    public string Tool { get; } = tool;

    public string Provider { get; } = provider;

    public PromptKey Base => new(Tool, PromptProviders.Base);

    public bool IsBase => string.Equals(Provider, PromptProviders.Base, StringComparison.Ordinal);

    public bool Equals(PromptKey other) =>
        string.Equals(Tool, other.Tool, StringComparison.Ordinal) && string.Equals(Provider, other.Provider, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is PromptKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Tool.GetHashCode(StringComparison.Ordinal), Provider.GetHashCode(StringComparison.Ordinal));

    public override string ToString() => $"{Tool}/{Provider}";
}

namespace Exai.Supabase.Prompts.Internal;

/// <summary>A <see cref="NewPromptVersion"/> that passed the input checks, with its metadata serialised.</summary>
internal sealed record ValidPrompt(
    string Tool,
    string Provider,
    string Content,
    string? Version,
    int Tier,
    string MetadataJson,
    string? Author,
    string? ChangeDescription,
    string? Source)
{
    public PromptKey Key => new(Tool, Provider);

    public override string ToString() => $"{Tool}/{Provider} {Version ?? "(next)"}";
}

namespace Exai.Supabase.Prompts;

/// <summary>One prompt of an import.</summary>
/// <param name="Tool">The tool.</param>
/// <param name="Provider">The provider.</param>
/// <param name="Version">The label of the version stored or found.</param>
/// <param name="PromptId">Its id.</param>
/// <param name="Outcome">Whether it was created or already there.</param>
/// <param name="Activated">Whether the import made it the active version.</param>
/// <param name="Source">Where it came from (a file path), when known.</param>
public sealed record ImportReportEntry(
    string Tool,
    string Provider,
    string Version,
    Guid PromptId,
    ImportOutcome Outcome,
    bool Activated,
    string? Source);

namespace Exai.Supabase.Prompts;

/// <summary>One entry of a prompt's history (a row of <c>prompt_versions</c>): who did what, when, from which version to which, and why.</summary>
/// <param name="Id">The entry's id.</param>
/// <param name="Tool">The tool.</param>
/// <param name="Provider">The provider.</param>
/// <param name="Action">What was done.</param>
/// <param name="PromptId">The version the entry is about: the one stored, activated or rolled back to; for <see cref="PromptChange.Deactivated"/>, the one switched off.</param>
/// <param name="Version">Its label.</param>
/// <param name="FromPromptId">The version active before the change, if any.</param>
/// <param name="FromVersion">Its label.</param>
/// <param name="ChangedBy">Who made the change.</param>
/// <param name="Reason">Why (the change description).</param>
/// <param name="ChangedAt">When.</param>
public sealed record PromptHistoryEntry(
    Guid Id,
    string Tool,
    string Provider,
    PromptChange Action,
    Guid PromptId,
    string Version,
    Guid? FromPromptId,
    string? FromVersion,
    string? ChangedBy,
    string? Reason,
    DateTimeOffset ChangedAt);

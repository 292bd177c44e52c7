namespace Exai.Supabase.Prompts;

/// <summary>The outcome of an activation, rollback or deactivation.</summary>
/// <param name="Tool">The tool.</param>
/// <param name="Provider">The provider.</param>
/// <param name="Action">What was done.</param>
/// <param name="FromPromptId">The version active before; <see langword="null"/> when none was.</param>
/// <param name="FromVersion">Its label.</param>
/// <param name="ToPromptId">The version active now; <see langword="null"/> after a deactivation.</param>
/// <param name="ToVersion">Its label.</param>
/// <param name="Changed">
/// <see langword="false"/> when the requested version was already active (nothing was written, no history entry).
/// </param>
/// <param name="ChangedAt">When the change was made.</param>
public sealed record PromptActivation(
    string Tool,
    string Provider,
    PromptChange Action,
    Guid? FromPromptId,
    string? FromVersion,
    Guid? ToPromptId,
    string? ToVersion,
    bool Changed,
    DateTimeOffset ChangedAt);

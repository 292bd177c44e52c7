namespace Exai.Supabase.Prompts;

/// <summary>How one prompt version performed, from its recorded executions.</summary>
/// <param name="Tool">The tool.</param>
/// <param name="Provider">The provider.</param>
/// <param name="Version">The version label.</param>
/// <param name="PromptId">The version's id.</param>
/// <param name="Executions">Executions recorded.</param>
/// <param name="Successes">Of those, the successful ones.</param>
/// <param name="P50DurationMs">The median duration in milliseconds (interpolated); <see langword="null"/> without executions.</param>
/// <param name="P95DurationMs">The 95th percentile duration in milliseconds (interpolated); <see langword="null"/> without executions.</param>
/// <param name="MeanTokens">The mean token count of the executions that reported one; <see langword="null"/> when none did.</param>
/// <param name="FirstExecutedAt">The earliest execution counted.</param>
/// <param name="LastExecutedAt">The latest execution counted.</param>
public sealed record PromptStatistics(
    string Tool,
    string Provider,
    string Version,
    Guid PromptId,
    long Executions,
    long Successes,
    double? P50DurationMs,
    double? P95DurationMs,
    double? MeanTokens,
    DateTimeOffset? FirstExecutedAt,
    DateTimeOffset? LastExecutedAt)
{
    /// <summary>Successes over executions, 0 to 1; <see langword="null"/> without executions.</summary>
    public double? SuccessRate => Executions == 0 ? null : (double)Successes / Executions;
}

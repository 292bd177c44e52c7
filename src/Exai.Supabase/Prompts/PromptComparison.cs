namespace Exai.Supabase.Prompts;

/// <summary>Two versions of one tool and provider side by side (<see cref="IPromptManager.CompareAsync"/>).</summary>
/// <param name="Baseline">The version compared against (usually the active one).</param>
/// <param name="Candidate">The version being judged.</param>
public sealed record PromptComparison(PromptStatistics Baseline, PromptStatistics Candidate)
{
    /// <summary>Candidate's success rate minus the baseline's (positive is better); <see langword="null"/> when either has no executions.</summary>
    public double? SuccessRateChange => Candidate.SuccessRate - Baseline.SuccessRate;

    /// <summary>Candidate's median duration minus the baseline's, in milliseconds (negative is faster).</summary>
    public double? P50DurationChangeMs => Candidate.P50DurationMs - Baseline.P50DurationMs;

    /// <summary>Candidate's 95th percentile duration minus the baseline's, in milliseconds (negative is faster).</summary>
    public double? P95DurationChangeMs => Candidate.P95DurationMs - Baseline.P95DurationMs;

    /// <summary>Candidate's mean token count minus the baseline's (negative is cheaper).</summary>
    public double? MeanTokensChange => Candidate.MeanTokens - Baseline.MeanTokens;
}

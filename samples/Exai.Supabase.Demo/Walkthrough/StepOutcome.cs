namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>Passed, failed, or skipped (with the reason).</summary>
internal enum StepOutcome
{
    Passed,
    Failed,
    Skipped,
}

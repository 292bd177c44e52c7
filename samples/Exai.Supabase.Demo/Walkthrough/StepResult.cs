namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>How one step of the walk-through ended.</summary>
internal sealed record StepResult(string Name, StepOutcome Outcome, string Detail, TimeSpan Elapsed);

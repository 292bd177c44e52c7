namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>A step whose check did not hold.</summary>
internal sealed class StepFailedException(string message) : Exception(message);

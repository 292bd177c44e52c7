namespace Exai.Supabase.Demo.Walkthrough;

/// <summary>A step that cannot run here, with the reason it names in the report.</summary>
internal sealed class SkipStepException(string reason) : Exception(reason);

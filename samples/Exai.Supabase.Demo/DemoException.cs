namespace Exai.Supabase.Demo;

/// <summary>A failure the demo reports as one line on standard error with exit code 1.</summary>
internal sealed class DemoException(string message) : Exception(message);

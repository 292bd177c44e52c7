namespace Exai.Supabase.Prompts.Internal;

/// <summary>A row of <c>prompt_performance</c>: one execution of a tool with a prompt version.</summary>
internal sealed class PromptPerformanceRow
{
    public Guid Id { get; set; }

    public Guid? PromptId { get; set; }

    public string? PromptVersion { get; set; }

    public string ToolName { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    public double? ExecutionTimeMs { get; set; }

    public int? TokenCount { get; set; }

    public bool Success { get; set; } = true;

    public string? ErrorMessage { get; set; }

    public string Metadata { get; set; } = "{}";

    public DateTimeOffset ExecutedAt { get; set; }
}

namespace Exai.Supabase.Prompts.Internal;

/// <summary>A row of <c>prompt_versions</c>: one change of which version is active (or a version's creation).</summary>
internal sealed class PromptVersionRow
{
    public Guid Id { get; set; }

    public Guid PromptId { get; set; }

    public string ToolName { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    public string Action { get; set; } = "created";

    public string Version { get; set; } = string.Empty;

    public Guid? FromPromptId { get; set; }

    public string? FromVersion { get; set; }

    public string? ChangeDescription { get; set; }

    public string? ChangedBy { get; set; }

    public DateTimeOffset ChangedAt { get; set; }

    public bool RollbackAvailable { get; set; } = true;

    public string? PerformanceMetrics { get; set; }

    public SystemPromptRow? Prompt { get; set; }
}

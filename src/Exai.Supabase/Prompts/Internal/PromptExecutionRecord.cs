using Exai.Supabase.Outbox.Internal;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>One execution of a tool with a prompt version, on its way to <c>prompt_performance</c>. Lands insert-if-absent on its id.</summary>
internal sealed class PromptExecutionRecord : OutboxRecord
{
    public const string Kind = "prompt_execution";

    /// <summary>The version's row; null for a code fallback.</summary>
    public Guid? PromptId { get; init; }

    public string? PromptVersion { get; init; }

    public required string Tool { get; init; }

    public required string Provider { get; init; }

    public double ExecutionTimeMs { get; init; }

    public int? TokenCount { get; init; }

    public bool Success { get; init; }

    public string? ErrorMessage { get; init; }

    public string Metadata { get; init; } = "{}";

    public override string KindName => Kind;

    public override int EstimatedBytes =>
        120 + ((Tool.Length + Provider.Length + (PromptVersion?.Length ?? 0) + (ErrorMessage?.Length ?? 0) + Metadata.Length) * 2);
}

using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Persistence.Internal;
using NpgsqlTypes;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// Lands prompt executions into <c>prompt_performance</c>, insert-if-absent on the record id. An execution whose
/// version was deleted before it landed keeps its tool, provider and version label with <c>prompt_id</c> NULL — what
/// the foreign key's <c>ON DELETE SET NULL</c> would have made of it a moment later — instead of waiting for a row
/// that will never come or being dead-lettered.
/// </summary>
/// <remarks>
/// <c>prompt_performance</c> is written by the service side only (users may read it), so executions are recorded in
/// the service scope whoever's tool call they measure: they are the library's own telemetry.
/// </remarks>
internal sealed class PromptExecutionKind : RecordKind<PromptExecutionRecord>
{
    private static readonly CopyColumn<PromptExecutionRecord>[] Copy =
    [
        Column.Of<PromptExecutionRecord, Guid>("id", NpgsqlDbType.Uuid, r => r.Id),
        Column.Nullable<PromptExecutionRecord, Guid>("prompt_id", NpgsqlDbType.Uuid, r => r.PromptId),
        Column.Text<PromptExecutionRecord>("prompt_version", r => r.PromptVersion),
        Column.Text<PromptExecutionRecord>("tool_name", r => r.Tool),
        Column.Text<PromptExecutionRecord>("provider", r => r.Provider),
        Column.Of<PromptExecutionRecord, double>("execution_time_ms", NpgsqlDbType.Double, r => r.ExecutionTimeMs),
        Column.Nullable<PromptExecutionRecord, int>("token_count", NpgsqlDbType.Integer, r => r.TokenCount),
        Column.Of<PromptExecutionRecord, bool>("success", NpgsqlDbType.Boolean, r => r.Success),
        Column.Text<PromptExecutionRecord>("error_message", r => r.ErrorMessage),
        Column.Text<PromptExecutionRecord>("metadata", r => r.Metadata, NpgsqlDbType.Jsonb),
        Column.Of<PromptExecutionRecord, DateTimeOffset>("executed_at", NpgsqlDbType.TimestampTz, r => r.RecordedAt),
    ];

    public override string Name => PromptExecutionRecord.Kind;

    // No parent travels through the outbox (prompt versions are written directly), so any order works; after the
    // conversation kinds.
    public override int Order => 70;

    protected override IReadOnlyList<CopyColumn<PromptExecutionRecord>> Columns => Copy;

    protected override string LandingSql(string staging) => $"""
        INSERT INTO {TableNames.Schema}.{TableNames.PromptPerformance}
            (id, prompt_id, prompt_version, tool_name, provider, execution_time_ms, token_count, success, error_message, metadata, executed_at)
        SELECT s.id, p.id, s.prompt_version, s.tool_name, s.provider, s.execution_time_ms, s.token_count, s.success,
               s.error_message, s.metadata, s.executed_at
        FROM {staging} s
        LEFT JOIN {TableNames.Schema}.{TableNames.SystemPrompts} p ON p.id = s.prompt_id
        ON CONFLICT (id) DO NOTHING;
        """;
}

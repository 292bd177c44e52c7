using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>The EF model of <c>system_prompts</c>, <c>prompt_versions</c> and <c>prompt_performance</c>.</summary>
internal static class PromptsModel
{
    public const string OneActiveIndex = "ux_system_prompts_one_active";

    public static void Configure(ModelBuilder model)
    {
        model.Entity<SystemPromptRow>(e =>
        {
            e.ToTable(TableNames.SystemPrompts, t => t.HasCheckConstraint("ck_system_prompts_tier", "tier BETWEEN 0 AND 3"));
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.IsActive).HasDefaultValue(false).HasSentinel(true);
            e.Property(x => x.ContentHash).HasComputedColumnSql("md5(prompt_content)", stored: true);
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.Property(x => x.UpdatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => new { x.ToolName, x.Provider, x.Version }).IsUnique().HasDatabaseName("ux_system_prompts_tool_provider_version");
            // The database, not only the code, keeps at most one active version per (tool, provider).
            e.HasIndex(x => new { x.ToolName, x.Provider }).IsUnique().HasFilter("is_active").HasDatabaseName(OneActiveIndex);
            e.HasIndex(x => new { x.ToolName, x.Provider, x.IsActive }).HasDatabaseName("ix_system_prompts_tool_provider_active");
            e.HasIndex(x => new { x.ToolName, x.Provider, x.ContentHash }).HasDatabaseName("ix_system_prompts_content");
        });

        model.Entity<PromptVersionRow>(e =>
        {
            e.ToTable(TableNames.PromptVersions, t =>
                t.HasCheckConstraint("ck_prompt_versions_action", "action IN ('created', 'activated', 'rolled_back', 'deactivated')"));
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Action).HasDefaultValue("created");
            e.Property(x => x.RollbackAvailable).HasDefaultValue(true).HasSentinel(false);
            e.Property(x => x.PerformanceMetrics).HasColumnType(ModelDefaults.Jsonb);
            e.Property(x => x.ChangedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => new { x.ToolName, x.Provider, x.ChangedAt }).IsDescending(false, false, true).HasDatabaseName("ix_prompt_versions_tool_provider_changed_at");
            e.HasIndex(x => x.PromptId).HasDatabaseName("ix_prompt_versions_prompt_id");
            e.HasOne(x => x.Prompt).WithMany().HasForeignKey(x => x.PromptId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_prompt_versions_prompt_id");
        });

        model.Entity<PromptPerformanceRow>(e =>
        {
            e.ToTable(TableNames.PromptPerformance, t =>
            {
                t.HasCheckConstraint("ck_prompt_performance_execution_time_ms", "execution_time_ms IS NULL OR execution_time_ms >= 0");
                t.HasCheckConstraint("ck_prompt_performance_token_count", "token_count IS NULL OR token_count >= 0");
            });
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Success).HasDefaultValue(true).HasSentinel(false);
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.ExecutedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => new { x.ToolName, x.Provider, x.ExecutedAt }).IsDescending(false, false, true).HasDatabaseName("ix_prompt_performance_tool_provider_executed_at");
            // Statistics per version come from one scan of this index.
            e.HasIndex(x => new { x.PromptId, x.ExecutedAt }).HasDatabaseName("ix_prompt_performance_prompt_id_executed_at");
            e.HasOne<SystemPromptRow>().WithMany().HasForeignKey(x => x.PromptId).OnDelete(DeleteBehavior.SetNull)
                .HasConstraintName("fk_prompt_performance_prompt_id");
        });
    }
}

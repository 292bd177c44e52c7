using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore;

namespace Exai.Supabase.Issues.Internal;

/// <summary>The EF model of <c>issues</c>, <c>issue_updates</c> and <c>issue_checklist_items</c>.</summary>
internal static class IssuesModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<IssueRow>(e =>
        {
            e.ToTable(TableNames.Issues, t =>
            {
                t.HasCheckConstraint("ck_issues_severity", "severity IN ('critical', 'high', 'medium', 'low')");
                t.HasCheckConstraint("ck_issues_priority", "priority IN ('p0', 'p1', 'p2', 'p3')");
                t.HasCheckConstraint("ck_issues_status", "status IN ('open', 'in_progress', 'fixed', 'verified', 'closed', 'wont_fix')");
                t.HasCheckConstraint("ck_issues_title", "char_length(btrim(title)) > 0");
            });
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Severity).HasDefaultValue("medium");
            e.Property(x => x.Priority).HasDefaultValue("p2");
            e.Property(x => x.Status).HasDefaultValue("open");
            e.Property(x => x.Components).HasDefaultValueSql(ModelDefaults.EmptyTextArray);
            e.Property(x => x.AffectedFiles).HasDefaultValueSql(ModelDefaults.EmptyTextArray);
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.Property(x => x.UpdatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasGeneratedTsVectorColumn(x => x.SearchVector, "simple", x => new { x.Title, x.Description, x.RootCause, x.Fix, x.IssueCode })
                .HasIndex(x => x.SearchVector).HasMethod("GIN").HasDatabaseName("ix_issues_search");
            // Newest first with a stable tie-breaker: the keyset of every listing.
            e.HasIndex(x => new { x.CreatedAt, x.Id }).IsDescending(true, true).HasDatabaseName("ix_issues_created_at");
            e.HasIndex(x => new { x.Status, x.CreatedAt, x.Id }).IsDescending(false, true, true).HasDatabaseName("ix_issues_status_created_at");
            e.HasIndex(x => new { x.Severity, x.CreatedAt }).IsDescending(false, true).HasDatabaseName("ix_issues_severity_created_at");
            e.HasIndex(x => new { x.Priority, x.CreatedAt }).IsDescending(false, true).HasDatabaseName("ix_issues_priority_created_at");
            e.HasIndex(x => new { x.Category, x.CreatedAt }).IsDescending(false, true).HasDatabaseName("ix_issues_category_created_at");
            e.HasIndex(x => x.Components).HasMethod("GIN").HasDatabaseName("ix_issues_components");
            e.HasIndex(x => x.IssueCode).HasDatabaseName("ix_issues_issue_code").HasFilter("issue_code IS NOT NULL");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_issues_source").HasFilter("source_id IS NOT NULL");
        });

        model.Entity<IssueUpdateRow>(e =>
        {
            e.ToTable(TableNames.IssueUpdates, t =>
                t.HasCheckConstraint("ck_issue_updates_kind", "kind IN ('created', 'comment', 'status_change', 'fix_applied', 'verification', 'conversation_link', 'field_change', 'checklist')"));
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Kind).HasDefaultValue("comment");
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => new { x.IssueId, x.CreatedAt }).HasDatabaseName("ix_issue_updates_issue_id_created_at");
            e.HasIndex(x => x.ContinuationId).HasDatabaseName("ix_issue_updates_continuation_id").HasFilter("continuation_id IS NOT NULL");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_issue_updates_source").HasFilter("source_id IS NOT NULL");
            e.HasOne(x => x.Issue).WithMany().HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_issue_updates_issue_id");
        });

        model.Entity<IssueChecklistItemRow>(e =>
        {
            e.ToTable(TableNames.IssueChecklistItems, t =>
            {
                t.HasCheckConstraint("ck_issue_checklist_items_state", "state IN ('pending', 'completed', 'skipped')");
                t.HasCheckConstraint("ck_issue_checklist_items_position", "position >= 1");
            });
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.State).HasDefaultValue("pending");
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            // Uniqueness of (issue_id, position) is a DEFERRABLE constraint added by the migrations' SQL, so a
            // reordering can pass through duplicate positions inside its transaction.
            e.HasIndex(x => new { x.IssueId, x.Position }).HasDatabaseName("ix_issue_checklist_items_issue_id_position");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_issue_checklist_items_source").HasFilter("source_id IS NOT NULL");
            e.HasOne(x => x.Issue).WithMany().HasForeignKey(x => x.IssueId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_issue_checklist_items_issue_id");
        });
    }
}

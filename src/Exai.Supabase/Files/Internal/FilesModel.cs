using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore;

namespace Exai.Supabase.Files.Internal;

/// <summary>The EF model of <c>files</c>, <c>provider_file_uploads</c> and <c>file_deletion_jobs</c>.</summary>
internal static class FilesModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<FileRow>(e =>
        {
            e.ToTable(TableNames.Files, t =>
            {
                t.HasCheckConstraint("ck_files_file_type", "file_type IN ('user_upload', 'generated', 'cache')");
                t.HasCheckConstraint("ck_files_size_bytes", "size_bytes IS NULL OR size_bytes >= 0");
                t.HasCheckConstraint("ck_files_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
            });
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Bucket).HasDefaultValue("user-files");
            e.Property(x => x.FileType).HasDefaultValue("user_upload");
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.Property(x => x.UpdatedAt).HasDefaultValueSql(ModelDefaults.Now);
            // Leading storage_path serves path lookups; with bucket it also keeps a path unique within its bucket.
            e.HasIndex(x => new { x.StoragePath, x.Bucket }).IsUnique().HasDatabaseName("ux_files_storage_path_bucket");
            e.HasIndex(x => x.Sha256).HasDatabaseName("ix_files_sha256").HasFilter("sha256 IS NOT NULL");
            e.HasIndex(x => x.UserId).HasDatabaseName("ix_files_user_id");
            e.HasIndex(x => x.ExpiresAt).HasDatabaseName("ix_files_expires_at").HasFilter("expires_at IS NOT NULL");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_files_source").HasFilter("source_id IS NOT NULL");
        });

        model.Entity<ProviderFileUploadRow>(e =>
        {
            e.ToTable(TableNames.ProviderFileUploads, t =>
            {
                t.HasCheckConstraint("ck_provider_file_uploads_status", "status IN ('pending', 'completed', 'failed', 'deleted')");
                t.HasCheckConstraint("ck_provider_file_uploads_sha256", "sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'");
            });
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Status).HasDefaultValue("pending");
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.Property(x => x.UpdatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => x.ProviderFileId).HasDatabaseName("ix_provider_file_uploads_provider_file_id");
            e.HasIndex(x => new { x.Provider, x.Sha256 }).HasDatabaseName("ix_provider_file_uploads_provider_sha256").HasFilter("sha256 IS NOT NULL");
            e.HasIndex(x => x.FileId).HasDatabaseName("ix_provider_file_uploads_file_id");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_provider_file_uploads_source").HasFilter("source_id IS NOT NULL");
            e.HasOne(x => x.File).WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.SetNull)
                .HasConstraintName("fk_provider_file_uploads_file_id");
        });

        model.Entity<FileDeletionJobRow>(e =>
        {
            e.ToTable(TableNames.FileDeletionJobs, t =>
            {
                t.HasCheckConstraint("ck_file_deletion_jobs_status", "status IN ('pending', 'running', 'completed', 'failed')");
                t.HasCheckConstraint("ck_file_deletion_jobs_attempts", "attempts >= 0");
            });
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Status).HasDefaultValue("pending");
            e.Property(x => x.Attempts).HasDefaultValue(0);
            e.Property(x => x.Targets).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.NextAttemptAt).HasDefaultValueSql(ModelDefaults.Now);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.Property(x => x.UpdatedAt).HasDefaultValueSql(ModelDefaults.Now);
            // Workers claim due jobs with FOR UPDATE SKIP LOCKED through this index.
            e.HasIndex(x => new { x.Status, x.NextAttemptAt }).HasDatabaseName("ix_file_deletion_jobs_due").HasFilter("status IN ('pending', 'running')");
            e.HasIndex(x => x.FileId).HasDatabaseName("ix_file_deletion_jobs_file_id");
            e.HasIndex(x => x.UserId).HasDatabaseName("ix_file_deletion_jobs_user_id");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_file_deletion_jobs_source").HasFilter("source_id IS NOT NULL");
        });
    }
}

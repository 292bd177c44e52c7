using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>The EF model of <c>sessions</c>, <c>conversations</c>, <c>messages</c> and <c>conversation_files</c>.</summary>
internal static class ConversationsModel
{
    /// <summary>The longest continuation id accepted (checked by the database too).</summary>
    public const int MaxContinuationIdLength = 256;

    public static void Configure(ModelBuilder model)
    {
        model.Entity<SessionRow>(e =>
        {
            e.ToTable(TableNames.Sessions);
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.Property(x => x.LastSeenAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => x.UserId).HasDatabaseName("ix_sessions_user_id");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_sessions_source").HasFilter("source_id IS NOT NULL");
        });

        model.Entity<ConversationRow>(e =>
        {
            e.ToTable(TableNames.Conversations, t =>
                t.HasCheckConstraint("ck_conversations_continuation_id_length", $"char_length(continuation_id) BETWEEN 1 AND {MaxContinuationIdLength}"));
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.Property(x => x.LastActivityAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => x.ContinuationId).IsUnique().HasDatabaseName("ux_conversations_continuation_id");
            // Leading session_id / user_id: the fixed lookups, and "threads of a session or user, newest first".
            e.HasIndex(x => new { x.SessionId, x.LastActivityAt }).IsDescending(false, true).HasDatabaseName("ix_conversations_session_id_last_activity");
            e.HasIndex(x => new { x.UserId, x.LastActivityAt }).IsDescending(false, true).HasDatabaseName("ix_conversations_user_id_last_activity");
            e.HasIndex(x => x.ExpiresAt).HasDatabaseName("ix_conversations_expires_at").HasFilter("expires_at IS NOT NULL");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_conversations_source").HasFilter("source_id IS NOT NULL");
            e.HasOne(x => x.Session).WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.SetNull)
                .HasConstraintName("fk_conversations_session_id");
        });

        model.Entity<MessageRow>(e =>
        {
            e.ToTable(TableNames.Messages, t =>
                t.HasCheckConstraint("ck_messages_role", "role IN ('system', 'user', 'assistant', 'tool')"));
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Content).HasDefaultValue(string.Empty);
            e.Property(x => x.Contents).HasColumnType(ModelDefaults.Jsonb);
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            // One index serves history oldest-first, the last N (scanned backwards) and keyset pages.
            e.HasIndex(x => new { x.ConversationId, x.CreatedAt, x.Id }).HasDatabaseName("ix_messages_conversation_id_created_at");
            e.HasIndex(x => x.CreatedAt).IsDescending().HasDatabaseName("ix_messages_created_at");
            e.HasIndex(x => x.UserId).HasDatabaseName("ix_messages_user_id");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_messages_source").HasFilter("source_id IS NOT NULL");
            e.HasOne(x => x.Conversation).WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_messages_conversation_id");
        });

        model.Entity<ConversationFileRow>(e =>
        {
            e.ToTable(TableNames.ConversationFiles);
            e.Property(x => x.Id).HasDefaultValueSql(ModelDefaults.NewId);
            e.Property(x => x.Metadata).HasColumnType(ModelDefaults.Jsonb).HasDefaultValueSql(ModelDefaults.EmptyJsonObject);
            e.Property(x => x.CreatedAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => new { x.ConversationId, x.FileId }).IsUnique().HasDatabaseName("ux_conversation_files_conversation_id_file_id");
            e.HasIndex(x => x.FileId).HasDatabaseName("ix_conversation_files_file_id");
            e.HasIndex(x => new { x.SourceTable, x.SourceId }).IsUnique().HasDatabaseName("ux_conversation_files_source").HasFilter("source_id IS NOT NULL");
            e.HasOne(x => x.Conversation).WithMany().HasForeignKey(x => x.ConversationId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_conversation_files_conversation_id");
            e.HasOne(x => x.File).WithMany().HasForeignKey(x => x.FileId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_conversation_files_file_id");
        });
    }
}

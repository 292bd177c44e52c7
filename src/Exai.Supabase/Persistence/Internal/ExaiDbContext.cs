using Exai.Supabase.Conversations.Internal;
using Exai.Supabase.Files.Internal;
using Exai.Supabase.Issues.Internal;
using Exai.Supabase.Outbox.Internal;
using Exai.Supabase.Prompts.Internal;
using Microsoft.EntityFrameworkCore;

namespace Exai.Supabase.Persistence.Internal;

/// <summary>The consolidated schema. Each feature configures its own tables.</summary>
internal sealed class ExaiDbContext(DbContextOptions<ExaiDbContext> options) : DbContext(options)
{
    public DbSet<SessionRow> Sessions => Set<SessionRow>();

    public DbSet<ConversationRow> Conversations => Set<ConversationRow>();

    public DbSet<MessageRow> Messages => Set<MessageRow>();

    public DbSet<ConversationFileRow> ConversationFiles => Set<ConversationFileRow>();

    public DbSet<FileRow> Files => Set<FileRow>();

    public DbSet<ProviderFileUploadRow> ProviderFileUploads => Set<ProviderFileUploadRow>();

    public DbSet<FileDeletionJobRow> FileDeletionJobs => Set<FileDeletionJobRow>();

    public DbSet<IssueRow> Issues => Set<IssueRow>();

    public DbSet<IssueUpdateRow> IssueUpdates => Set<IssueUpdateRow>();

    public DbSet<IssueChecklistItemRow> IssueChecklistItems => Set<IssueChecklistItemRow>();

    public DbSet<SystemPromptRow> SystemPrompts => Set<SystemPromptRow>();

    public DbSet<PromptVersionRow> PromptVersions => Set<PromptVersionRow>();

    public DbSet<PromptPerformanceRow> PromptPerformance => Set<PromptPerformanceRow>();

    public DbSet<DeadLetterRow> DeadLetters => Set<DeadLetterRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(TableNames.Schema);
        ConversationsModel.Configure(modelBuilder);
        FilesModel.Configure(modelBuilder);
        IssuesModel.Configure(modelBuilder);
        PromptsModel.Configure(modelBuilder);
        OutboxModel.Configure(modelBuilder);
    }
}

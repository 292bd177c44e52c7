using Exai.Supabase.Persistence.Internal;
using Microsoft.EntityFrameworkCore;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>The EF model of <c>outbox_dead_letters</c>.</summary>
internal static class OutboxModel
{
    public static void Configure(ModelBuilder model)
    {
        model.Entity<DeadLetterRow>(e =>
        {
            e.ToTable(TableNames.OutboxDeadLetters);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Payload).HasColumnType(ModelDefaults.Jsonb);
            e.Property(x => x.DeadLetteredAt).HasDefaultValueSql(ModelDefaults.Now);
            e.HasIndex(x => new { x.Kind, x.DeadLetteredAt }).HasDatabaseName("ix_outbox_dead_letters_kind");
            e.HasIndex(x => x.UserId).HasDatabaseName("ix_outbox_dead_letters_user_id");
        });
    }
}

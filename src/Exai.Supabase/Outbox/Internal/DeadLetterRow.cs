namespace Exai.Supabase.Outbox.Internal;

/// <summary>A row of <c>outbox_dead_letters</c>: a queued record PostgreSQL refused, kept with the reason.</summary>
internal sealed class DeadLetterRow
{
    /// <summary>The record's own id, so a record is dead-lettered at most once.</summary>
    public Guid Id { get; set; }

    public string Kind { get; set; } = string.Empty;

    public string Payload { get; set; } = "{}";

    public Guid? UserId { get; set; }

    public string? SqlState { get; set; }

    public string Reason { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    public DateTimeOffset DeadLetteredAt { get; set; }

    public string? Instance { get; set; }
}

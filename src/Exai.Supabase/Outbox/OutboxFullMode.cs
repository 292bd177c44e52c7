namespace Exai.Supabase.Outbox;

/// <summary>What recording does when memory is at its cap and the spill folder is full (or disabled).</summary>
public enum OutboxFullMode
{
    /// <summary>The new record is dropped and counted (reason <c>full</c>); the caller never waits. The default.</summary>
    Drop,

    /// <summary>The caller waits, up to <see cref="OutboxOptions.FullWaitTimeout"/>, for room; then the record is dropped and counted.</summary>
    Wait,
}

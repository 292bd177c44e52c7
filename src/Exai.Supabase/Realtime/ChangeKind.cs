namespace Exai.Supabase.Realtime;

/// <summary>What happened to a row (or, for <see cref="Gap"/>, to the feed itself).</summary>
public enum ChangeKind
{
    /// <summary>A row was inserted: <see cref="ChangeEvent.NewValues"/> holds it.</summary>
    Insert,

    /// <summary>
    /// A row was updated: <see cref="ChangeEvent.NewValues"/> holds the new row; <see cref="ChangeEvent.OldValues"/>
    /// the old one on tables with <c>REPLICA IDENTITY FULL</c> (or the old key when the key changed).
    /// </summary>
    Update,

    /// <summary>
    /// A row was deleted: <see cref="ChangeEvent.OldValues"/> holds the old row on tables with
    /// <c>REPLICA IDENTITY FULL</c>, otherwise only its primary key.
    /// </summary>
    Delete,

    /// <summary>The table was truncated: every row is gone; no values are carried.</summary>
    Truncate,

    /// <summary>
    /// The feed reconnected on a new temporary slot: changes committed while it was disconnected are not delivered.
    /// Consumers that cache rows should reload them. Never sent for a permanent slot, which resumes instead.
    /// </summary>
    Gap,
}

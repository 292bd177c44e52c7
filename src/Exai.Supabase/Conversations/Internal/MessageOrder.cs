namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// The order of a thread's turns: <c>(created_at, id)</c>, as PostgreSQL sorts them (a <see cref="Guid"/> compares
/// field by field as unsigned numbers, which is the byte order PostgreSQL uses for <c>uuid</c>).
/// </summary>
internal static class MessageOrder
{
    public static readonly Comparison<ConversationMessage> Ascending = (a, b) => Compare(a.CreatedAt, a.Id, b.CreatedAt, b.Id);

    public static int Compare(DateTimeOffset aAt, Guid aId, DateTimeOffset bAt, Guid bId)
    {
        var byTime = aAt.UtcTicks.CompareTo(bAt.UtcTicks);
        return byTime != 0 ? byTime : aId.CompareTo(bId);
    }

    /// <summary>Truncates to PostgreSQL's microsecond precision, so a pending turn sorts exactly as it will once stored.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}

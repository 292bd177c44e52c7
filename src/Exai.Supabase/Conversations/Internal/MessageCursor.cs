using System.Globalization;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>The opaque keyset cursor of a page: the (created_at, id) of its oldest turn, as <c>m1.&lt;unix µs&gt;.&lt;id&gt;</c>.</summary>
internal readonly record struct MessageCursor(DateTimeOffset CreatedAt, Guid Id)
{
    private const string Prefix = "m1.";

    public static MessageCursor Of(ConversationMessage message) => new(message.CreatedAt, message.Id);

    public static MessageCursor Parse(string cursor, string parameterName)
    {
        var parts = cursor.StartsWith(Prefix, StringComparison.Ordinal) ? cursor[Prefix.Length..].Split('.') : [];
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            && micros <= (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10
            && Guid.TryParseExact(parts[1], "N", out var id))
        {
            return new MessageCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), id);
        }

        throw new ArgumentException($"{parameterName} is not a cursor returned by this store (ConversationPage.OlderCursor).", parameterName);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{(CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}.{Id:N}");

    public bool IsAfter(ConversationMessage message) => MessageOrder.Compare(message.CreatedAt, message.Id, CreatedAt, Id) < 0;
}

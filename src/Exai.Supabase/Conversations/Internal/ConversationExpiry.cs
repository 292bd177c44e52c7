using Exai.Supabase.Persistence.Internal;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Conversations.Internal;

/// <summary>
/// The expiry settings as landing-SQL parameters: <c>expires_at = LEAST(last_activity_at + @sliding,
/// created_at + @absolute)</c>, where a switched-off part is NULL (and LEAST ignores NULLs; both off gives NULL).
/// </summary>
internal sealed class ConversationExpiry(IOptions<ExaiSupabaseOptions> options)
{
    /// <summary>The expression for a thread's expiry from its last activity and creation time.</summary>
    public static string Expression(string lastActivity, string createdAt) =>
        $"LEAST({lastActivity} + @sliding, {createdAt} + @absolute)";

    /// <summary>
    /// Deletes threads that had expired before the first staged record of their continuation id was made (the
    /// clean-up would have): the continuation id then starts a fresh thread instead of reviving old turns.
    /// </summary>
    public static string DeleteExpiredSql(string staging) =>
        DeleteExpiredBeforeSql($"(SELECT continuation_id, min(created_at) AS first_at FROM {staging} GROUP BY continuation_id) s");

    /// <summary>
    /// The same from <paramref name="firstTurns"/>, a source aliased <c>s</c> with one row per continuation id and
    /// its first record's time (<c>continuation_id</c>, <c>first_at</c>).
    /// </summary>
    public static string DeleteExpiredBeforeSql(string firstTurns) => $"""
        DELETE FROM {TableNames.Schema}.{TableNames.Conversations} c
        USING {firstTurns}
        WHERE c.continuation_id = s.continuation_id AND c.expires_at <= s.first_at;
        """;

    public TimeSpan? Sliding => options.Value.Conversations.SlidingExpiration;

    public TimeSpan? Absolute => options.Value.Conversations.AbsoluteExpiration;

    public void AddParameters(NpgsqlCommand command)
    {
        command.Parameters.Add(new NpgsqlParameter("sliding", NpgsqlDbType.Interval) { Value = Sliding is { } s ? s : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("absolute", NpgsqlDbType.Interval) { Value = Absolute is { } a ? a : DBNull.Value });
    }
}

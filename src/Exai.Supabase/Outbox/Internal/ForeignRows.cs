using Exai.Supabase.Persistence.Internal;

namespace Exai.Supabase.Outbox.Internal;

/// <summary>
/// Refuses, at landing, records made in a user scope that name an existing row owned by someone else. Row-level
/// security would make such a delete, or an upsert whose conflict clause skips the row, change nothing without a
/// word; a kind that can meet that case runs <see cref="RefuseSql"/> from its <c>PrepareSql</c> (as the session's
/// role, which sees every row), so the record fails with SQLSTATE 42501 and is dead-lettered like any record
/// row-level security refuses.
/// </summary>
internal static class ForeignRows
{
    /// <summary>
    /// A statement that raises <c>insufficient_privilege</c> when a staged row made in a user scope
    /// (<paramref name="scopeColumn"/> not null) matches, by <paramref name="match"/>, a row of <paramref name="table"/>
    /// whose <c>user_id</c> is not that user. Rows of the service scope are never refused.
    /// </summary>
    /// <param name="staging">The staging table (alias <c>s</c>).</param>
    /// <param name="table">The target table (alias <c>t</c>).</param>
    /// <param name="match">How a staged row finds its target, e.g. <c>t.id = s.file_id</c>.</param>
    /// <param name="scopeColumn">The staging column holding the scope's user id.</param>
    /// <param name="what">What the target is, for the message (no values: they may be private).</param>
    public static string RefuseSql(string staging, string table, string match, string scopeColumn, string what) => $$"""
        DO $exai$
        BEGIN
            IF EXISTS (SELECT 1 FROM {{staging}} s
                       JOIN {{TableNames.Schema}}.{{table}} t ON {{match}}
                       WHERE s.{{scopeColumn}} IS NOT NULL AND t.{{ColumnNames.UserId}} IS DISTINCT FROM s.{{scopeColumn}}) THEN
                RAISE EXCEPTION 'Exai.Supabase: {{what}} belongs to another user; a user scope may not change it'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END
        $exai$
        """;
}

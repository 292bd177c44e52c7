using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Exai.Supabase.Issues.Internal;

/// <summary>Reads the tracker's records from rows shaped by <see cref="IssueSql"/>'s column lists.</summary>
internal static class IssueRows
{
    public static Issue Issue(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        IssueCode = Text(r, 1),
        Title = r.GetString(2),
        Description = Text(r, 3),
        Severity = IssueVocabulary.FromStored(IssueVocabulary.SeveritySynonyms, r.GetString(4)),
        Priority = IssueVocabulary.FromStored(IssueVocabulary.PrioritySynonyms, r.GetString(5)),
        Status = IssueVocabulary.FromStored(IssueVocabulary.StatusSynonyms, r.GetString(6)),
        Category = Text(r, 7),
        Components = r.GetFieldValue<string[]>(8),
        AffectedFiles = r.GetFieldValue<string[]>(9),
        RootCause = Text(r, 10),
        Fix = Text(r, 11),
        ReportedBy = Text(r, 12),
        Assignee = Text(r, 13),
        Rank = r.IsDBNull(14) ? null : r.GetInt32(14),
        Metadata = Json(r.GetString(15)),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(16),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(17),
        ResolvedAt = Time(r, 18),
        ClosedAt = Time(r, 19),
        SourceTable = Text(r, 20),
        SourceId = Text(r, 21),
        LinkedConversations = r.GetFieldValue<string[]>(22),
    };

    public static IssueUpdate Update(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        IssueId = r.GetGuid(1),
        Kind = IssueVocabulary.FromStored(IssueVocabulary.UpdateKindSynonyms, r.GetString(2)),
        Body = Text(r, 3),
        // Adopted legacy entries may carry statuses of their own: read them leniently.
        FromStatus = IssueVocabulary.TryParseStatus(Text(r, 4), out var from) ? from : null,
        ToStatus = IssueVocabulary.TryParseStatus(Text(r, 5), out var to) ? to : null,
        ContinuationId = Text(r, 6),
        Author = Text(r, 7),
        Metadata = Json(r.GetString(8)),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(9),
    };

    public static IssueChecklistItem Item(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        IssueId = r.GetGuid(1),
        Position = r.GetInt32(2),
        Text = r.GetString(3),
        State = IssueVocabulary.FromStored(IssueVocabulary.ChecklistStateSynonyms, r.GetString(4)),
        StateChangedAt = Time(r, 5),
        ChangedBy = Text(r, 6),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(7),
    };

    public static async Task<List<T>> ReadAllAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }
        }

        return rows;
    }

    public static async Task<T?> ReadOneAsync<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : null;
        }
    }

    public static JsonObject Json(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string? Text(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    private static DateTimeOffset? Time(NpgsqlDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetFieldValue<DateTimeOffset>(ordinal);
}

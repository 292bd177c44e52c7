using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace Exai.Supabase.Issues.Internal;

/// <summary>
/// Collects the fields an <see cref="IssueChanges"/> really changes against the locked row: the <c>SET</c> clauses
/// with their parameters, and the <c>field_change</c> entry's details (each field's value before and after).
/// </summary>
internal sealed class IssueFieldChanges
{
    private readonly List<string> _sets = [];
    private readonly List<NpgsqlParameter> _parameters = [];
    private readonly List<string> _summary = [];

    public JsonObject Details { get; } = [];

    public bool Any => _sets.Count > 0;

    public IReadOnlyList<string> Fields => [.. Details.Select(p => p.Key)];

    /// <summary>A text column; <paramref name="wanted"/> null means unchanged, <paramref name="clear"/> means set to null.</summary>
    public void Text(string column, string? current, string? wanted, bool clear, bool keepValues = true)
    {
        if (wanted is null && !clear)
        {
            return;
        }

        var next = clear ? null : wanted;
        if (string.Equals(current, next, StringComparison.Ordinal))
        {
            return;
        }

        Set(column, NpgsqlDbType.Text, next);
        Details[column] = keepValues ? new JsonObject { ["from"] = current, ["to"] = next } : new JsonObject { ["changed"] = true };
        _summary.Add(keepValues ? $"{column}: {Show(current)} → {Show(next)}" : $"{column} changed");
    }

    public void Int(string column, int? current, int? wanted)
    {
        if (wanted is null || current == wanted)
        {
            return;
        }

        Set(column, NpgsqlDbType.Integer, wanted);
        Details[column] = new JsonObject { ["from"] = current, ["to"] = wanted };
        _summary.Add($"{column}: {current?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"} → {wanted.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    public void List(string column, IReadOnlyList<string> current, string[]? wanted)
    {
        if (wanted is null || current.SequenceEqual(wanted, StringComparer.Ordinal))
        {
            return;
        }

        Set(column, NpgsqlDbType.Array | NpgsqlDbType.Text, wanted);
        Details[column] = new JsonObject
        {
            ["from"] = new JsonArray([.. current.Select(v => (JsonNode?)JsonValue.Create(v))]),
            ["to"] = new JsonArray([.. wanted.Select(v => (JsonNode?)JsonValue.Create(v))]),
        };
        _summary.Add($"{column}: [{string.Join(", ", current)}] → [{string.Join(", ", wanted)}]");
    }

    /// <summary>Merges keys into the metadata; counts as a change only for keys whose value differs.</summary>
    public void Metadata(JsonObject current, string? patchJson)
    {
        if (patchJson is null || IssueRows.Json(patchJson) is not { Count: > 0 } patch)
        {
            return;
        }

        var changed = patch.Where(p => !current.TryGetPropertyValue(p.Key, out var old) || !JsonNode.DeepEquals(old, p.Value))
            .Select(p => p.Key)
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        _sets.Add("metadata = metadata || @metadata");
        _parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Jsonb) { Value = patchJson });
        Details["metadata"] = new JsonObject { ["keys"] = new JsonArray([.. changed.Select(k => (JsonNode?)JsonValue.Create(k))]) };
        _summary.Add($"metadata: {string.Join(", ", changed)}");
    }

    public string Summary() => string.Join("; ", _summary);

    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid issueId, DateTimeOffset now)
    {
        var sql = new StringBuilder($"UPDATE {IssueSql.IssuesTable} SET ");
        sql.AppendJoin(", ", _sets).Append(", updated_at = GREATEST(updated_at, @now) WHERE id = @id");
        var command = new NpgsqlCommand(sql.ToString(), connection, transaction);
        command.Parameters.AddRange(_parameters.ToArray());
        command.Parameters.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now });
        command.Parameters.Add(new NpgsqlParameter("id", NpgsqlDbType.Uuid) { Value = issueId });
        return command;
    }

    private static string Show(string? value) => value is null ? "(none)" : value.Length <= 80 ? value : string.Concat(value.AsSpan(0, 77), "…");

    private void Set(string column, NpgsqlDbType type, object? value)
    {
        _sets.Add($"{column} = @{column}");
        _parameters.Add(new NpgsqlParameter(column, type) { Value = value ?? DBNull.Value });
    }
}

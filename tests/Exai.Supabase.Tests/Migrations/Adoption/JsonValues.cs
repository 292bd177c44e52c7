using System.Globalization;
using System.Text.Json;

namespace Exai.Supabase.Tests.Migrations.Adoption;

/// <summary>Flattens JSON into the values it holds, the way a check that "every legacy value is still there" looks at data.</summary>
internal static class JsonValues
{
    /// <summary>Every non-null scalar (strings by their content, numbers and booleans by their text), at any depth.</summary>
    public static IEnumerable<string> Leaves(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    foreach (var leaf in Leaves(property.Value))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var leaf in Leaves(item))
                    {
                        yield return leaf;
                    }
                }

                break;
            case JsonValueKind.String:
                yield return element.GetString()!;
                break;
            case JsonValueKind.Number:
                yield return element.GetRawText();
                break;
            case JsonValueKind.True or JsonValueKind.False:
                yield return element.GetRawText();
                break;
        }
    }

    /// <summary>The text of a key value as adoption writes it to source_id (uuid and numbers as PostgreSQL prints them).</summary>
    public static string KeyText(JsonElement row, IReadOnlyList<string> keyColumns) =>
        string.Join(":", keyColumns.Select(c => row.GetProperty(c) is { ValueKind: JsonValueKind.String } s ? s.GetString()! : row.GetProperty(c).GetRawText()));

    public static string? Text(this JsonElement row, string property) =>
        row.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    public static JsonElement? Path(this JsonElement row, params string[] path)
    {
        var current = row;
        foreach (var step in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step, out current))
            {
                return null;
            }
        }

        return current;
    }

    /// <summary>A timestamp; one stored without a time zone is read as UTC, as adoption reads it.</summary>
    public static DateTimeOffset Time(this JsonElement row, string property) =>
        DateTimeOffset.Parse(row.GetProperty(property).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// Turns a value in PostgreSQL's text output format (what pgoutput sends) into a CLR value by the column's type OID.
/// Built-in OIDs are fixed by PostgreSQL; any other type (enums, domains, ranges, most arrays) stays text. A value
/// that does not parse as expected (a timestamp before year 1, say) stays text rather than failing the feed.
/// </summary>
internal static class PgText
{
    // Built-in type OIDs (pg_type.dat); stable across PostgreSQL versions.
    public const uint Bool = 16;
    public const uint Int8 = 20;
    public const uint Int2 = 21;
    public const uint Int4 = 23;
    public const uint Text = 25;
    public const uint Oid = 26;
    public const uint Json = 114;
    public const uint Float4 = 700;
    public const uint Float8 = 701;
    public const uint TextArray = 1009;
    public const uint VarcharArray = 1015;
    public const uint Bpchar = 1042;
    public const uint Varchar = 1043;
    public const uint Date = 1082;
    public const uint Timestamp = 1114;
    public const uint TimestampTz = 1184;
    public const uint Numeric = 1700;
    public const uint Uuid = 2950;
    public const uint Jsonb = 3802;

    private static readonly string[] TimestampTzFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFzzz",
        "yyyy-MM-dd HH:mm:ss.FFFFFFzz",
        "yyyy-MM-dd HH:mm:ss.FFFFFFzzz':'ss",
    ];

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    public static Func<string, object?> ConverterFor(uint typeOid) => typeOid switch
    {
        Bool => static s => s == "t",
        Int2 => static s => short.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : s,
        Int4 => static s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : s,
        Int8 => static s => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : s,
        Oid => static s => uint.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : s,
        Numeric => static s => decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : s,
        Float4 => static s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : s,
        Float8 => static s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : s,
        Uuid => static s => Guid.TryParse(s, out var v) ? v : s,
        TimestampTz => ParseTimestampTz,
        Timestamp => ParseTimestamp,
        Date => static s => DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var v) ? v : s,
        Json or Jsonb => ParseJson,
        TextArray or VarcharArray => ParseTextArray,
        _ => static s => s,
    };

    private static object ParseTimestampTz(string s)
    {
        switch (s)
        {
            case "infinity":
                return DateTimeOffset.MaxValue;
            case "-infinity":
                return DateTimeOffset.MinValue;
        }

        return DateTimeOffset.TryParseExact(s, TimestampTzFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value.ToUniversalTime()
            : s;
    }

    private static object ParseTimestamp(string s) => s switch
    {
        "infinity" => DateTime.MaxValue,
        "-infinity" => DateTime.MinValue,
        _ => DateTime.TryParseExact(s, "yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) ? value : s,
    };

    private static object? ParseJson(string s)
    {
        try
        {
            return JsonNode.Parse(s, NodeOptions);
        }
        catch (JsonException)
        {
            return s;
        }
    }

    /// <summary>A one-dimensional array literal (<c>{a,"b c",NULL}</c>) → string[]; anything else stays text.</summary>
    private static object ParseTextArray(string s)
    {
        if (s.Length < 2 || s[0] != '{' || s[^1] != '}')
        {
            return s;
        }

        var items = new List<string?>();
        var i = 1;
        var end = s.Length - 1;
        if (i == end)
        {
            return Array.Empty<string>();
        }

        var item = new System.Text.StringBuilder();
        while (i <= end)
        {
            item.Clear();
            var quoted = i < end && s[i] == '"';
            if (quoted)
            {
                i++;
                while (i < end && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < end)
                    {
                        i++;
                    }

                    item.Append(s[i++]);
                }

                i++; // closing quote
            }
            else
            {
                while (i < end && s[i] != ',')
                {
                    if (s[i] == '{')
                    {
                        return s; // nested: a multi-dimensional array stays text
                    }

                    item.Append(s[i++]);
                }
            }

            var text = item.ToString();
            items.Add(!quoted && text == "NULL" ? null : text);
            if (i < end && s[i] != ',')
            {
                return s;
            }

            i++; // the comma, or past the closing brace
        }

        return items.ToArray();
    }
}

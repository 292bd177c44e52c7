using System.Globalization;
using System.Text.Json.Nodes;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>How a <see cref="ChangeFilter"/> value is compared with a decoded column value.</summary>
internal static class ValueComparer
{
    public static bool Matches(object? actual, object? expected)
    {
        if (actual is null || expected is null)
        {
            return actual is null && expected is null;
        }

        if (actual.Equals(expected))
        {
            return true;
        }

        if (IsNumber(actual) && IsNumber(expected))
        {
            return actual is double or float || expected is double or float
                ? Convert.ToDouble(actual, CultureInfo.InvariantCulture) == Convert.ToDouble(expected, CultureInfo.InvariantCulture)
                : Convert.ToDecimal(actual, CultureInfo.InvariantCulture) == Convert.ToDecimal(expected, CultureInfo.InvariantCulture);
        }

        if (actual is Guid guid && expected is string guidText)
        {
            return Guid.TryParse(guidText, out var parsed) && parsed == guid;
        }

        if (actual is DateTimeOffset at && expected is DateTimeOffset et)
        {
            return at.UtcTicks == et.UtcTicks;
        }

        return string.Equals(Text(actual), Text(expected), StringComparison.Ordinal);
    }

    public static string Describe(object? value) => value switch
    {
        null => "NULL",
        string s => $"'{s}'",
        _ => Text(value),
    };

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        JsonNode node => node.ToJsonString(),
        DateTimeOffset dto => dto.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static bool IsNumber(object value) =>
        value is byte or sbyte or short or ushort or int or uint or long or ulong or decimal or float or double;
}

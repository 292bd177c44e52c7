using System.Text.Json;
using System.Text.Json.Nodes;

namespace Exai.Supabase.Persistence.Internal;

/// <summary>
/// Checks caller input before anything is queued, so a value PostgreSQL would refuse (a NUL character, a lone
/// surrogate, text over its documented limit, JSON that is not an object) fails at the call site with an exception
/// that names the argument, and never reaches the outbox.
/// </summary>
internal static class InputGuard
{
    /// <summary>A required text: not null, not empty or white space, within <paramref name="maxLength"/>, valid for PostgreSQL.</summary>
    public static string Required(string? value, string parameterName, int maxLength)
    {
        if (value is null)
        {
            throw new ArgumentNullException(parameterName, $"{parameterName} is required.");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{parameterName} must not be empty or white space.", parameterName);
        }

        return Checked(value, parameterName, maxLength);
    }

    /// <summary>An optional text: null passes; otherwise within <paramref name="maxLength"/> and valid for PostgreSQL.</summary>
    public static string? Optional(string? value, string parameterName, int maxLength) =>
        value is null ? null : Checked(value, parameterName, maxLength);

    /// <summary>A text that may be empty but not null (message content, say).</summary>
    public static string Text(string? value, string parameterName, int maxLength)
    {
        if (value is null)
        {
            throw new ArgumentNullException(parameterName, $"{parameterName} is required (it may be empty).");
        }

        return Checked(value, parameterName, maxLength);
    }

    public static int? NonNegative(int? value, string parameterName)
    {
        if (value is < 0)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must not be negative.");
        }

        return value;
    }

    public static double? NonNegative(double? value, string parameterName)
    {
        if (value is { } v && (v < 0 || double.IsNaN(v) || double.IsInfinity(v)))
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"{parameterName} must be a finite number that is not negative.");
        }

        return value;
    }

    public static Guid? NotEmpty(Guid? value, string parameterName)
    {
        if (value == Guid.Empty)
        {
            throw new ArgumentException($"{parameterName} must not be the empty GUID.", parameterName);
        }

        return value;
    }

    /// <summary>Serialises metadata to the JSON text stored in a <c>jsonb</c> column (<c>{}</c> when null).</summary>
    public static string Metadata(JsonObject? metadata, string parameterName, int maxLength = Limits.MetadataLength)
    {
        if (metadata is null)
        {
            return "{}";
        }

        string json;
        try
        {
            json = metadata.ToJsonString();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException or JsonException)
        {
            throw new ArgumentException($"{parameterName} cannot be written as JSON: {ex.Message}", parameterName, ex);
        }

        // jsonb refuses \u0000 inside strings.
        if (json.Contains("\\u0000", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{parameterName} contains a NUL character (\\u0000), which PostgreSQL's jsonb cannot store.", parameterName);
        }

        // The serialiser replaces a lone surrogate with U+FFFD without a word: look for one in the keys and strings
        // (the tree is known to be shallow enough to walk, since serialising it did not exceed the writer's depth).
        if (HasLoneSurrogate(metadata))
        {
            throw new ArgumentException($"{parameterName} contains a lone UTF-16 surrogate in a key or a string, which is not valid Unicode text.", parameterName);
        }

        return Checked(json, parameterName, maxLength);
    }

    /// <summary>Whether <paramref name="value"/> holds a lone UTF-16 surrogate (one not part of a pair).</summary>
    public static bool HasLoneSurrogate(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var span = value.AsSpan();
        var surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        return surrogate >= 0 && !PairsAreWhole(span[surrogate..]);
    }

    /// <summary>Parses caller-supplied JSON text that must be an object.</summary>
    public static string MetadataJson(string? json, string parameterName, int maxLength = Limits.MetadataLength)
    {
        if (json is null)
        {
            return "{}";
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{parameterName} is not valid JSON: {ex.Message}", parameterName, ex);
        }

        if (node is not JsonObject obj)
        {
            throw new ArgumentException($"{parameterName} must be a JSON object ({{…}}).", parameterName);
        }

        return Metadata(obj, parameterName, maxLength);
    }

    private static string Checked(string value, string parameterName, int maxLength)
    {
        if (value.Length > maxLength)
        {
            throw new ArgumentOutOfRangeException(parameterName, value.Length, $"{parameterName} is {value.Length} characters long; the limit is {maxLength}.");
        }

        // One pass over the text finds whatever needs a closer look — a NUL, a surrogate, or a character above the
        // surrogates — and most text has none: it is checked at the speed of a single vectorised search.
        var span = value.AsSpan();
        if (span.IndexOfAnyExceptInRange('\u0001', '\uD7FF') < 0)
        {
            return value;
        }

        if (span.Contains('\0'))
        {
            throw new ArgumentException($"{parameterName} contains a NUL character (\\0), which PostgreSQL text cannot store.", parameterName);
        }

        if (HasLoneSurrogate(value))
        {
            throw new ArgumentException($"{parameterName} contains a lone UTF-16 surrogate, which is not valid Unicode text.", parameterName);
        }

        return value;
    }

    private static bool HasLoneSurrogate(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (HasLoneSurrogate(key) || HasLoneSurrogate(child))
                    {
                        return true;
                    }
                }

                return false;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (HasLoneSurrogate(child))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValue value when value.TryGetValue<string>(out var text):
                return HasLoneSurrogate(text);
            default:
                return false;
        }
    }

    private static bool PairsAreWhole(ReadOnlySpan<char> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= span.Length || !char.IsLowSurrogate(span[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}

using System.Globalization;
using System.Text.Json;

namespace Exai.Supabase.Files.Internal;

/// <summary>Reads the OpenAI-style file objects and lists, tolerating fields a provider leaves out.</summary>
internal static class ProviderFileJson
{
    public static ProviderFile ReadFile(JsonElement e) => new(
        Id: String(e, "id") ?? throw new JsonException("A file object has no id."),
        Bytes: Int64(e, "bytes"),
        CreatedAt: Int64(e, "created_at") is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
        Filename: String(e, "filename"),
        Purpose: String(e, "purpose"),
        Status: String(e, "status"),
        StatusDetails: String(e, "status_details"));

    public static ProviderFileList ReadList(JsonElement e)
    {
        var files = new List<ProviderFile>();
        if (e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in data.EnumerateArray())
            {
                files.Add(ReadFile(item));
            }
        }

        var hasMore = e.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        return new ProviderFileList(files, hasMore);
    }

    /// <summary>The error text of an error body: <c>error.message</c>, <c>message</c> or <c>msg</c>, with a code when there is one; else the raw text.</summary>
    public static string ErrorText(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no body)";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var error = root.TryGetProperty("error", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
                var message = String(error, "message") ?? String(error, "msg") ?? String(root, "message") ?? String(root, "error");
                var code = String(error, "code") ?? String(error, "type");
                if (message is not null)
                {
                    return code is null ? message : $"{message} ({code})";
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw text it is.
        }

        return body;
    }

    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p)
            ? p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number => p.GetRawText(),
                _ => null,
            }
            : null;

    public static long? Int64(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var p))
        {
            return null;
        }

        return p.ValueKind switch
        {
            JsonValueKind.Number when p.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(p.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) => s,
            _ => null,
        };
    }
}

using System.Globalization;
using System.Text;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// Reads a folder of prompt files: one file per tool and provider, named <c>tool.provider.ext</c> (<c>tool.ext</c> for
/// the base provider; <c>ext</c> is <c>md</c>, <c>txt</c> or <c>prompt</c>), optionally opening with a header:
/// <code>
/// ---
/// tier: 2
/// version: v3
/// author: alice
/// description: shorter steps
/// ---
/// You are a debugging assistant…
/// </code>
/// Header keys are <c>tool</c>, <c>provider</c> (both override the file name), <c>tier</c>, <c>version</c>,
/// <c>author</c> and <c>description</c>; blank lines and lines starting with <c>#</c> are skipped. Everything after
/// the closing <c>---</c> line is the prompt, unchanged (so the same file always yields the same content).
/// </summary>
internal static class PromptFileReader
{
    private const string Fence = "---";

    private static readonly string[] Extensions = [".md", ".txt", ".prompt"];

    private static readonly string[] Keys = ["tool", "provider", "tier", "version", "author", "description"];

    public static async Task<List<(NewPromptVersion Prompt, string Path)>> ReadDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The prompt folder '{directory}' does not exist.");
        }

        var files = Directory.EnumerateFiles(directory)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        var prompts = new List<(NewPromptVersion, string)>(files.Count);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
            prompts.Add((Parse(Path.GetFileName(file), text), file));
        }

        return prompts;
    }

    public static NewPromptVersion Parse(string fileName, string text)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var dot = stem.LastIndexOf('.');
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal)
        {
            ["tool"] = (dot > 0 ? stem[..dot] : stem, 0),
            ["provider"] = (dot > 0 ? stem[(dot + 1)..] : PromptProviders.Base, 0),
        };

        var content = text;
        if (StartsWithFence(text, 0, out var afterOpening))
        {
            var position = afterOpening;
            var line = 1;
            while (true)
            {
                if (position >= text.Length)
                {
                    throw new FormatException($"{fileName}: the header opened on line 1 is never closed with a '{Fence}' line.");
                }

                line++;
                if (StartsWithFence(text, position, out var afterClosing))
                {
                    content = text[afterClosing..];
                    break;
                }

                var end = text.IndexOf('\n', position);
                var raw = end < 0 ? text[position..] : text[position..end];
                position = end < 0 ? text.Length : end + 1;
                var entry = raw.TrimEnd('\r').Trim();
                if (entry.Length == 0 || entry[0] == '#')
                {
                    continue;
                }

                var colon = entry.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    throw new FormatException($"{fileName}, line {line}: expected 'key: value', found '{Shorten(entry)}'.");
                }

                var key = entry[..colon].Trim().ToLowerInvariant();
                if (!Keys.Contains(key))
                {
                    throw new FormatException($"{fileName}, line {line}: unknown header key '{key}'; the keys are {string.Join(", ", Keys)}.");
                }

                values[key] = (entry[(colon + 1)..].Trim(), line);
            }
        }

        var tier = 0;
        if (values.TryGetValue("tier", out var tierText)
            && !int.TryParse(tierText.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out tier))
        {
            throw new FormatException($"{fileName}, line {tierText.Line}: tier '{Shorten(tierText.Value)}' is not a number; use 0, 1, 2 or 3.");
        }

        return new NewPromptVersion
        {
            Tool = values["tool"].Value,
            Provider = values["provider"].Value,
            Content = content,
            Tier = tier,
            Version = Value("version"),
            Author = Value("author"),
            ChangeDescription = Value("description"),
        };

        string? Value(string key) => values.TryGetValue(key, out var v) && v.Value.Length > 0 ? v.Value : null;
    }

    /// <summary>Whether a line consisting of <c>---</c> (optionally followed by white space) starts at <paramref name="position"/>.</summary>
    private static bool StartsWithFence(string text, int position, out int next)
    {
        next = position;
        if (string.CompareOrdinal(text, position, Fence, 0, Fence.Length) != 0)
        {
            return false;
        }

        var end = text.IndexOf('\n', position);
        var rest = end < 0 ? text.AsSpan(position + Fence.Length) : text.AsSpan(position + Fence.Length, end - position - Fence.Length);
        if (!rest.IsWhiteSpace())
        {
            return false;
        }

        next = end < 0 ? text.Length : end + 1;
        return true;
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";
}

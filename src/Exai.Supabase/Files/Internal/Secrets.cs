namespace Exai.Supabase.Files.Internal;

/// <summary>Keeps secrets out of text that may reach a log or an exception message.</summary>
internal static class Secrets
{
    /// <summary>The longest piece of a server's error text kept in a message.</summary>
    public const int MaxServerText = 300;

    /// <summary>Replaces every occurrence of <paramref name="secret"/> (a server may echo a key back) and shortens the text.</summary>
    public static string Scrub(string text, string? secret)
    {
        if (!string.IsNullOrEmpty(secret) && text.Contains(secret, StringComparison.Ordinal))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        text = text.ReplaceLineEndings(" ").Trim();
        return text.Length <= MaxServerText ? text : string.Concat(text.AsSpan(0, MaxServerText), "…");
    }
}

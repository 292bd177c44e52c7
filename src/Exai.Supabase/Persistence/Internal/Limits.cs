namespace Exai.Supabase.Persistence.Internal;

/// <summary>The documented size limits of caller input, checked before anything is queued.</summary>
internal static class Limits
{
    /// <summary>Names and identifiers: tool, provider, model, role, version labels, continuation ids …</summary>
    public const int NameLength = 256;

    /// <summary>Short free text: titles, file names, MIME types, reasons.</summary>
    public const int ShortTextLength = 1_024;

    /// <summary>Storage paths and URLs.</summary>
    public const int PathLength = 1_024;

    /// <summary>Long text: message content, prompt content, issue descriptions (one million characters).</summary>
    public const int ContentLength = 1_000_000;

    /// <summary>Serialised metadata of one row.</summary>
    public const int MetadataLength = 256 * 1_024;
}

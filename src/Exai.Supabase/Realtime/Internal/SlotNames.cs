using System.Buffers;

namespace Exai.Supabase.Realtime.Internal;

/// <summary>Replication slot names: what PostgreSQL accepts (lower-case letters, digits, underscores; 63 characters).</summary>
internal static class SlotNames
{
    public const int MaxLength = 63;
    private const int SuffixLength = 16;
    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_");

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxLength && !name.AsSpan().ContainsAnyExcept(Allowed);

    public static void Validate(string? name, string parameterName)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid replication slot name: use 1 to {MaxLength} lower-case letters, digits and underscores (for example \"exai_prompt_cache\").",
                parameterName);
        }
    }

    /// <summary>Whether a prefix leaves room for the random suffix of temporary slot names.</summary>
    public static bool IsValidPrefix(string? prefix) =>
        prefix is not null && prefix.Length <= MaxLength - SuffixLength - 4 && !prefix.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>A fresh temporary slot name: the prefix, <c>tmp_</c> and 16 random hex digits.</summary>
    public static string Temporary(string prefix) => $"{prefix}tmp_{Guid.NewGuid():N}"[..(prefix.Length + 4 + SuffixLength)];
}

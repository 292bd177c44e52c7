using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// What the cache knows at one moment, never changed once published: the active rows (a mirror of
/// <c>system_prompts WHERE is_active</c>) and the resolved answer for every (tool, provider) looked up so far. A
/// lookup reads the current snapshot with one volatile read and probes <see cref="TryGet"/>; changes publish a new
/// snapshot.
/// </summary>
/// <remarks>
/// The answers are held twice: by <see cref="PromptKey"/> for the cache's bookkeeping, and as tool → provider →
/// entry in ordinal string-keyed frozen dictionaries for the hot path. Those pick a hashing strategy for the actual
/// key set (length buckets, a distinguishing substring, non-randomised hashing), which measured about twice as fast
/// as hashing a (tool, provider) struct with two randomised string hashes — and like the struct, the two probes
/// concatenate and allocate nothing.
/// </remarks>
internal sealed class PromptSnapshot
{
    public static readonly PromptSnapshot Empty = new(
        FrozenDictionary<PromptKey, ActivePrompt>.Empty,
        FrozenDictionary<PromptKey, PromptEntry>.Empty,
        loaded: false);

    private readonly FrozenDictionary<string, FrozenDictionary<string, PromptEntry>> _byTool;

    public PromptSnapshot(FrozenDictionary<PromptKey, ActivePrompt> active, FrozenDictionary<PromptKey, PromptEntry> entries, bool loaded)
    {
        Active = active;
        Entries = entries;
        Loaded = loaded;
        _byTool = entries
            .GroupBy(e => e.Key.Tool, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.ToFrozenDictionary(e => e.Key.Provider, e => e.Value, StringComparer.Ordinal),
                StringComparer.Ordinal);
    }

    /// <summary>The active rows by (tool, provider); complete once <see cref="Loaded"/>.</summary>
    public FrozenDictionary<PromptKey, ActivePrompt> Active { get; }

    /// <summary>Resolved answers (and remembered misses) by the (tool, provider) asked for.</summary>
    public FrozenDictionary<PromptKey, PromptEntry> Entries { get; }

    /// <summary>Whether <see cref="Active"/> has been loaded in full at least once (it may be stale while the database is down).</summary>
    public bool Loaded { get; }

    /// <summary>The hot path: the entry for (tool, provider), if the snapshot has one.</summary>
    public bool TryGet(string tool, string provider, [MaybeNullWhen(false)] out PromptEntry entry)
    {
        if (_byTool.TryGetValue(tool, out var providers))
        {
            return providers.TryGetValue(provider, out entry);
        }

        entry = null;
        return false;
    }
}

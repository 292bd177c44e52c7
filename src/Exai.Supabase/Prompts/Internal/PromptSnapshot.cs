using System.Collections.Frozen;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// What the cache knows at one moment, never changed once published: the active rows (a mirror of
/// <c>system_prompts WHERE is_active</c>) and the resolved answer for every (tool, provider) looked up so far. A
/// lookup reads the current snapshot with one volatile read and one frozen-dictionary probe; changes publish a new
/// snapshot.
/// </summary>
internal sealed class PromptSnapshot
{
    public static readonly PromptSnapshot Empty = new(
        FrozenDictionary<PromptKey, ActivePrompt>.Empty,
        FrozenDictionary<PromptKey, PromptEntry>.Empty,
        loaded: false);

    public PromptSnapshot(FrozenDictionary<PromptKey, ActivePrompt> active, FrozenDictionary<PromptKey, PromptEntry> entries, bool loaded)
    {
        Active = active;
        Entries = entries;
        Loaded = loaded;
    }

    /// <summary>The active rows by (tool, provider); complete once <see cref="Loaded"/>.</summary>
    public FrozenDictionary<PromptKey, ActivePrompt> Active { get; }

    /// <summary>Resolved answers (and remembered misses) by the (tool, provider) asked for.</summary>
    public FrozenDictionary<PromptKey, PromptEntry> Entries { get; }

    /// <summary>Whether <see cref="Active"/> has been loaded in full at least once (it may be stale while the database is down).</summary>
    public bool Loaded { get; }
}

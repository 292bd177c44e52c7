using System.ComponentModel.DataAnnotations;

namespace Exai.Supabase.Prompts;

/// <summary>
/// How prompts are looked up and cached. Bound from <c>Exai:Prompts</c>.
/// </summary>
/// <remarks>
/// Every instance keeps the active prompts in an immutable in-process snapshot. A change made anywhere is pushed by
/// the database (<c>LISTEN exai_prompts</c> on the direct connection) and refreshed off the callers' path; a full
/// refresh every <see cref="RefreshInterval"/> is the safety net behind it.
/// </remarks>
public sealed class PromptOptions
{
    /// <summary>
    /// Whether lookups are cached. Without the cache every lookup is one query (and falls back to
    /// <see cref="Fallbacks"/> when the database is down); meant for measurements and debugging.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CacheEnabled { get; set; } = true;

    /// <summary>
    /// Whether the cache listens for change notifications from the database. Without them a change made elsewhere is
    /// served after at most <see cref="RefreshInterval"/>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ListenForChanges { get; set; } = true;

    /// <summary>Where change notifications come from, when <see cref="ListenForChanges"/> is on.</summary>
    /// <value>The default value is <see cref="PromptChangeSource.Notify"/>.</value>
    public PromptChangeSource ChangeSource { get; set; } = PromptChangeSource.Notify;

    /// <summary>
    /// Whether the host's start loads the active prompts and starts listening (in the background; start-up never
    /// waits for the database). When false both happen at the first lookup.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool LoadAtStart { get; set; } = true;

    /// <summary>The interval of the full safety refresh behind change notifications (it fetches the text of changed versions only).</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan RefreshInterval { get; set; } = PromptDefaults.RefreshInterval;

    /// <summary>
    /// How long a lookup waits for the first load of the cache before answering from <see cref="Fallbacks"/>. Once
    /// the database is known to be down, lookups do not wait at all.
    /// </summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan LoadTimeout { get; set; } = PromptDefaults.LoadTimeout;

    /// <summary>The first wait before reconnecting the listener or retrying a failed refresh; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    /// <value>The default value is 250 milliseconds.</value>
    public TimeSpan ReconnectDelay { get; set; } = PromptDefaults.ReconnectDelay;

    /// <summary>The longest wait between reconnection or refresh attempts.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxReconnectDelay { get; set; } = PromptDefaults.MaxReconnectDelay;

    /// <summary>
    /// The most distinct (tool, provider) lookups kept resolved in the snapshot; lookups past it are answered from
    /// the cached rows without being remembered.
    /// </summary>
    /// <value>The default value is 10,000.</value>
    [Range(1, 1_000_000)]
    public int MaxCachedLookups { get; set; } = PromptDefaults.MaxCachedLookups;

    /// <summary>
    /// Prompts registered in code: the last link of the lookup chain (tool and provider, then tool and
    /// <see cref="PromptProviders.Base"/>, then these).
    /// </summary>
    /// <value>The default value is an empty collection.</value>
    public PromptFallbackCollection Fallbacks { get; } = [];
}

using System.Collections.Frozen;

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// The lookup chain: the active version of (tool, provider), then of (tool, base), then a code fallback for (tool,
/// provider), then for (tool, base). Pure: it works on a snapshot's rows and the registered fallbacks.
/// </summary>
internal static class PromptChain
{
    /// <param name="key">The (tool, provider) asked for.</param>
    /// <param name="active">The active rows; <see langword="null"/> when the database could not be consulted.</param>
    /// <param name="fallbacks">The code fallbacks by (tool, provider), <c>base</c> for "every provider".</param>
    /// <param name="databaseProblem">Why the database was not consulted (when <paramref name="active"/> is null).</param>
    public static PromptEntry Resolve(
        PromptKey key,
        IReadOnlyDictionary<PromptKey, ActivePrompt>? active,
        FrozenDictionary<PromptKey, PromptFallback> fallbacks,
        string? databaseProblem)
    {
        var tried = new List<string>(3);
        if (active is not null)
        {
            if (active.TryGetValue(key, out var own))
            {
                return PromptEntry.Found(FromRow(key, own, PromptOrigin.Active));
            }

            tried.Add($"database: {key} has no active version");
            if (!key.IsBase)
            {
                if (active.TryGetValue(key.Base, out var shared))
                {
                    return PromptEntry.Found(FromRow(key, shared, PromptOrigin.BaseProvider));
                }

                tried.Add($"database: {key.Base} has no active version");
            }
        }
        else
        {
            tried.Add($"database: {Both(key)} not consulted ({databaseProblem ?? "unavailable"})");
        }

        if (fallbacks.TryGetValue(key, out var fallback) || (!key.IsBase && fallbacks.TryGetValue(key.Base, out fallback)))
        {
            return PromptEntry.Found(FromFallback(key, fallback));
        }

        tried.Add($"code fallbacks: none registered for {Both(key)}");
        return PromptEntry.NotFound([.. tried]);
    }

    /// <summary>The fallbacks by key, <c>null</c> providers filed under <c>base</c>.</summary>
    public static FrozenDictionary<PromptKey, PromptFallback> Index(IEnumerable<PromptFallback> fallbacks)
    {
        var map = new Dictionary<PromptKey, PromptFallback>();
        foreach (var fallback in fallbacks)
        {
            // Options validation refuses duplicates; the last one wins if validation was bypassed.
            map[KeyOf(fallback)] = fallback;
        }

        return map.ToFrozenDictionary();
    }

    public static PromptKey KeyOf(PromptFallback fallback) =>
        new(fallback.Tool, string.IsNullOrEmpty(fallback.Provider) ? PromptProviders.Base : fallback.Provider);

    private static string Both(PromptKey key) => key.IsBase ? key.ToString() : $"{key} and {key.Base}";

    private static ResolvedPrompt FromRow(PromptKey key, ActivePrompt row, PromptOrigin origin) => new()
    {
        Tool = key.Tool,
        Provider = key.Provider,
        SourceProvider = row.Provider,
        Content = row.Content,
        Version = row.Version,
        Tier = row.Tier,
        PromptId = row.Id,
        Origin = origin,
    };

    private static ResolvedPrompt FromFallback(PromptKey key, PromptFallback fallback) => new()
    {
        Tool = key.Tool,
        Provider = key.Provider,
        SourceProvider = KeyOf(fallback).Provider,
        Content = fallback.Content,
        Version = fallback.Version,
        Tier = fallback.Tier,
        PromptId = null,
        Origin = PromptOrigin.CodeFallback,
    };
}

namespace Exai.Supabase.Realtime.Internal;

/// <summary>
/// A cached prompt to drop: the (<see cref="ToolName"/>, <see cref="Provider"/>) pair whose rows changed, or — when
/// both are <see langword="null"/> — everything (the feed reconnected, or the table was truncated).
/// </summary>
internal readonly record struct PromptInvalidation(string? ToolName, string? Provider)
{
    public static readonly PromptInvalidation All = new(null, null);

    public bool IsAll => ToolName is null && Provider is null;

    /// <summary>
    /// The keys a change of <c>system_prompts</c> touches: the new row's, and the old row's when it differs (an update
    /// that moved a version to another tool or provider, a delete). <c>system_prompts</c> has <c>REPLICA IDENTITY
    /// FULL</c>, so deletes carry the old row; were it missing, everything is invalidated.
    /// </summary>
    public static IEnumerable<PromptInvalidation> From(ChangeEvent change)
    {
        if (change.Kind is ChangeKind.Gap or ChangeKind.Truncate)
        {
            yield return All;
            yield break;
        }

        var fresh = Key(change.NewValues);
        var old = change.OldValues is { } values ? Key(values) : null;
        if (fresh is null && old is null)
        {
            yield return All;
            yield break;
        }

        if (fresh is { } f)
        {
            yield return f;
        }

        if (old is { } o && o != fresh)
        {
            yield return o;
        }
    }

    private static PromptInvalidation? Key(IReadOnlyDictionary<string, object?> row) =>
        row.TryGetValue("tool_name", out var tool) && tool is string t && row.TryGetValue("provider", out var provider) && provider is string p
            ? new PromptInvalidation(t, p)
            : null;
}

namespace Exai.Supabase.Prompts.Internal;

/// <summary>Told by an <see cref="IPromptChangeFeed"/> what changed. Calls are cheap and never block on I/O.</summary>
internal interface IPromptChangeSink
{
    /// <summary>A version of (tool, provider) was stored, activated, deactivated or deleted somewhere.</summary>
    void Changed(string tool, string provider);

    /// <summary>
    /// Changes may have been missed (the feed just connected or reconnected, or could not read a change): everything
    /// must be refreshed.
    /// </summary>
    void Resync();
}

namespace Exai.Supabase.Prompts.Internal;

/// <summary>
/// Pushes prompt changes made by any instance to this one's cache. The default listens to PostgreSQL's
/// <c>NOTIFY exai_prompts</c>; a realtime change feed can take its place by registering another implementation.
/// </summary>
internal interface IPromptChangeFeed
{
    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, reconnecting with backoff on its own. It calls
    /// <see cref="IPromptChangeSink.Resync"/> whenever it (re)connects, since changes made while it was away are lost.
    /// </summary>
    Task RunAsync(IPromptChangeSink sink, CancellationToken cancellationToken);
}

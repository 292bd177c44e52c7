namespace Exai.Supabase.Files.Internal;

/// <summary>How one kind of request is timed out and retried.</summary>
/// <param name="MaxAttempts">Attempts, the first included.</param>
/// <param name="Timeout">How long one attempt may take.</param>
/// <param name="RetryDelay">The first backoff; it doubles with each attempt.</param>
/// <param name="MaxRetryDelay">The longest backoff.</param>
/// <param name="MaxRetryAfter">The longest <c>Retry-After</c> waited for.</param>
internal sealed record RetryPolicy(int MaxAttempts, TimeSpan Timeout, TimeSpan RetryDelay, TimeSpan MaxRetryDelay, TimeSpan MaxRetryAfter);

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// The end of a retried exchange: the last response (a success, a status not worth retrying, or the last of the
/// attempts), or the failure of the last attempt when no response came (a <see cref="TimeoutException"/> or an
/// <see cref="HttpRequestException"/>).
/// </summary>
internal sealed class HttpOutcome(HttpResponseMessage? response, Exception? failure, int attempts, TimeSpan? retryAfter) : IDisposable
{
    public HttpResponseMessage? Response { get; } = response;

    public Exception? Failure { get; } = failure;

    public int Attempts { get; } = attempts;

    /// <summary>The last <c>Retry-After</c> the server sent, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public void Dispose() => Response?.Dispose();
}

using System.Net;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Files.Internal;

/// <summary>
/// A small retry loop for the files feature's HTTP calls: each attempt has its own time-out; 429 and 5xx are
/// retried after the server's <c>Retry-After</c> (seconds or an HTTP date) or a jittered, doubling backoff; time-outs
/// and broken connections are retried only where repeating the request is harmless (reads, deletes), or where the
/// connection was never made. Waits run on real time: an application's fake clock must not stall a request.
/// </summary>
internal static class HttpRetry
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    /// <summary>Sends the request <paramref name="create"/> builds (once per attempt) until it succeeds or attempts run out.</summary>
    /// <param name="http">The client.</param>
    /// <param name="create">Builds a fresh request; its content must be re-readable.</param>
    /// <param name="policy">Time-out and retry settings.</param>
    /// <param name="idempotent">Whether a request that may have reached the server can safely be sent again.</param>
    /// <param name="logger">For retry notices (no headers, no bodies).</param>
    /// <param name="what">The request, for logs (<c>kimi DELETE files/{id}</c>).</param>
    /// <param name="cancellationToken">The caller's token; its cancellation is never retried.</param>
    public static async Task<HttpOutcome> SendAsync(
        HttpClient http,
        Func<HttpRequestMessage> create,
        RetryPolicy policy,
        bool idempotent,
        ILogger logger,
        string what,
        CancellationToken cancellationToken)
    {
        TimeSpan? lastRetryAfter = null;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            Exception? failure = null;
            using (var request = create())
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(policy.Timeout);
                try
                {
                    // The whole body is read inside the attempt, so the time-out covers it too.
                    response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new TimeoutException($"no answer within {Describe(policy.Timeout)}", ex);
                }
                catch (HttpRequestException ex)
                {
                    failure = ex;
                }
            }

            var last = attempt >= policy.MaxAttempts;
            if (response is not null)
            {
                var retryAfter = RetryAfterOf(response);
                lastRetryAfter = retryAfter ?? lastRetryAfter;
                if (!IsRetryable(response.StatusCode) || last || retryAfter > policy.MaxRetryAfter)
                {
                    return new HttpOutcome(response, null, attempt, retryAfter);
                }

                var delay = retryAfter ?? Backoff(policy, attempt);
                FilesLog.Retrying(logger, what, attempt, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), delay);
                response.Dispose();
                await Task.Delay(delay, Clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var connectFailed = failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
            if (last || !(idempotent || connectFailed))
            {
                return new HttpOutcome(null, failure, attempt, lastRetryAfter);
            }

            var wait = Backoff(policy, attempt);
            FilesLog.Retrying(logger, what, attempt, failure is TimeoutException ? "time-out" : "connection failure", wait);
            await Task.Delay(wait, Clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>429, and the 5xx statuses that mean "try again" (not 501 Not Implemented nor 505 Version Not Supported).</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status is not HttpStatusCode.NotImplemented and not HttpStatusCode.HttpVersionNotSupported);

    /// <summary>The wait a response asks for with <c>Retry-After</c> (delta seconds or an HTTP date), never negative.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - Clock.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Doubling from the first delay, capped, with "equal jitter" (half fixed, half random) so callers spread out.</summary>
    public static TimeSpan Backoff(RetryPolicy policy, int attempt) => Jittered(policy.RetryDelay, policy.MaxRetryDelay, attempt);

    public static TimeSpan Jittered(TimeSpan first, TimeSpan max, int attempt)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(max.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
    }

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMilliseconds:0} ms";
}

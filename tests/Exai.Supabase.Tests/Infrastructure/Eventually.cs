namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        var delay = TimeSpan.FromMilliseconds(20);
        T last;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                last = await probe();
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception ex) when (ex is not AssertionException)
            {
                lastError = ex;
                last = default!;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{what} did not happen within {deadline.TotalSeconds:0.#} s (last value: {last}; last error: {lastError?.Message ?? "none"}).");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, TimeSpan deadline, string what) =>
        ReturnsAsync(probe, ok => ok, deadline, what);
}

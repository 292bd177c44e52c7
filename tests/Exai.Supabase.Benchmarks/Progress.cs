namespace Exai.Supabase.Benchmarks;

/// <summary>Progress lines on standard error, so standard output carries only the figures.</summary>
internal static class Progress
{
    public static void Say(string line) => Console.Error.WriteLine($"[{DateTimeOffset.Now:HH:mm:ss}] {line}");
}

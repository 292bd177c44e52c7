using System.Globalization;

namespace Exai.Supabase.Benchmarks;

/// <summary>How busy the machine was, so the figures can be read against it.</summary>
internal static class MachineLoad
{
    /// <summary>The one-minute load average (Linux; null elsewhere).</summary>
    public static double? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg")
                ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}

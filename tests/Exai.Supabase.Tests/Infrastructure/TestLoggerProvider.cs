using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Tests.Infrastructure;

/// <summary>Captures log lines so tests can assert what was (and was not) logged; echoes warnings to the test output.</summary>
internal sealed class TestLoggerProvider : ILoggerProvider
{
    public static readonly TestLoggerProvider Instance = new();

    public ConcurrentQueue<(string Category, LogLevel Level, string Message, Exception? Exception)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(TestLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            owner.Lines.Enqueue((category, logLevel, message, exception));
            if (logLevel >= LogLevel.Warning)
            {
                TestContext.Progress.WriteLine($"[{logLevel}] {category}: {message}");
            }
        }
    }
}

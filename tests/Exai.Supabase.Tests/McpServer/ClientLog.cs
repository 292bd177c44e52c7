using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Exai.Supabase.Tests.McpServer;

/// <summary>Captures what the SDK's client logs (one instance per client, unlike the shared test logger).</summary>
internal sealed class ClientLog : ILoggerProvider
{
    public ClientLog() => Factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    public ILoggerFactory Factory { get; }

    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ClientLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((category, logLevel, eventId, formatter(state, exception)));
    }
}

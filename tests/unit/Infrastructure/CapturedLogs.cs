using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ChaosModular.UnitTests.Infrastructure;

/// <summary>A logger provider that keeps every message a test host writes (with its level and any exception) in memory.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _entries = new();

    public IReadOnlyCollection<string> Messages => _entries.Select(e => e.Text).ToList();

    /// <summary>What was logged at Error or above.</summary>
    public IReadOnlyList<string> Errors => _entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Text).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(_entries);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : "\n" + exception)));
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace SalesIntel.Pipeline.Logging;

/// <summary>
/// The console logger's routing (a <see cref="ConsoleFormatter"/>, warnings and up to stderr) onto given writers
/// instead of the process console: used when the CLI runs embedded (in-process tests) with its own stdout/stderr,
/// which the built-in console provider cannot write to.
/// </summary>
internal sealed class WriterLoggerProvider(ConsoleFormatter formatter, LogLevel stderrThreshold, TextWriter stdout, TextWriter stderr) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new WriterLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write<TState>(in LogEntry<TState> entry)
    {
        using var line = new StringWriter();
        formatter.Write(entry, null, line);
        lock (_gate)
        {
            (entry.LogLevel >= stderrThreshold ? stderr : stdout).Write(line.ToString());
        }
    }

    private sealed class WriterLogger(WriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
    }
}

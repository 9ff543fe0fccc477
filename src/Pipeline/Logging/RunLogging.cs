using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace SalesIntel.Pipeline.Logging;

/// <summary>
/// Sets up the run's logging: single-line text for people on a terminal, or one Cloud Logging JSON entry per line
/// (<see cref="CloudLoggingFormatter"/>) when output is not a terminal or <c>--log-format json</c>, with warnings
/// and errors on stderr so Cloud Run's stderr stream carries them.
/// </summary>
internal static class RunLogging
{
    /// <summary>
    /// True when entries are JSON. <c>auto</c> means JSON when the process console is redirected (Cloud Run, CI,
    /// pipes); when the CLI runs embedded with its own writers (tests) nobody else parses them, so auto stays text.
    /// </summary>
    public static bool IsJson(string format, bool writersAreConsole, bool consoleRedirected) => format switch
    {
        "json" => true,
        "text" => false,
        _ => writersAreConsole && consoleRedirected,
    };

    /// <summary>The labels every JSON entry carries, from the run id and Cloud Run's task variables.</summary>
    public static Dictionary<string, string> Labels(string runId, Func<string, string?> environment)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["run_id"] = runId,
            ["task_index"] = environment("CLOUD_RUN_TASK_INDEX") ?? "0",
            ["task_count"] = environment("CLOUD_RUN_TASK_COUNT") ?? "1",
        };
        if (environment("CLOUD_RUN_EXECUTION") is { Length: > 0 } execution)
        {
            labels["execution"] = execution;
        }

        return labels;
    }

    /// <summary>Creates the logger factory; JSON entries go to the process console, or to the given writers when embedded.</summary>
    public static ILoggerFactory Create(LogLevel level, bool json, IReadOnlyDictionary<string, string> labels, TimeProvider time, TextWriter stdout, TextWriter stderr)
    {
        var writersAreConsole = ReferenceEquals(stdout, Console.Out) && ReferenceEquals(stderr, Console.Error);
        return LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(level)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("System", LogLevel.Warning)
                .AddFilter("Grpc", LogLevel.Warning);
            if (!json)
            {
                b.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss ";
                    o.UseUtcTimestamp = true;
                });
                return;
            }

            b.AddConsoleFormatter<CloudLoggingFormatter, CloudLoggingFormatterOptions>(o =>
            {
                o.Time = time;
                foreach (var (k, v) in labels)
                {
                    o.Labels[k] = v;
                }
            });
            if (writersAreConsole)
            {
                b.AddConsole(o =>
                {
                    o.FormatterName = CloudLoggingFormatter.FormatterName;
                    o.LogToStandardErrorThreshold = LogLevel.Warning;
                });
            }
            else
            {
                b.Services.AddSingleton<ILoggerProvider>(sp => new WriterLoggerProvider(
                    sp.GetServices<ConsoleFormatter>().Single(f => f.Name == CloudLoggingFormatter.FormatterName), LogLevel.Warning, stdout, stderr));
            }
        });
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace SalesIntel.Pipeline.Logging;

/// <summary>Options of <see cref="CloudLoggingFormatter"/>: the labels every entry carries and the clock.</summary>
public sealed class CloudLoggingFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>Written as <c>logging.googleapis.com/labels</c> on every entry (run id, task index and count, execution).</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The clock of the <c>time</c> field; the run's injected TimeProvider, so tests see fixed times.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}

/// <summary>
/// Writes each log entry as one JSON object per line in the shape Cloud Logging's agent parses from a container's
/// stdout/stderr: <c>severity</c>, <c>message</c>, <c>time</c> (RFC 3339 UTC), <c>logging.googleapis.com/labels</c>,
/// the event (<c>event_id</c>, <c>event</c>), the [LoggerMessage] state as top-level snake_case fields, and the
/// exception text as <c>stack_trace</c> (only bugs log one).
/// </summary>
public sealed class CloudLoggingFormatter : ConsoleFormatter, IDisposable
{
    /// <summary>The formatter name given to <see cref="ConsoleLoggerOptions.FormatterName"/>.</summary>
    public const string FormatterName = "cloud-logging";

    // Names the entry itself uses: a state field of the same name is written as field_NAME rather than overwrite it.
    private static readonly HashSet<string> Reserved = ["severity", "message", "time", "event_id", "event", "category", "stack_trace", "logging.googleapis.com/labels"];

    // Log lines are read by people in the Logs Explorer too: keep quotes and apostrophes readable (not HTML).
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly IDisposable? _reload;
    private CloudLoggingFormatterOptions _options;

    /// <summary>Created by the logging container (AddConsoleFormatter).</summary>
    public CloudLoggingFormatter(IOptionsMonitor<CloudLoggingFormatterOptions> options)
        : base(FormatterName)
    {
        _options = options.CurrentValue;
        _reload = options.OnChange(o => _options = o);
    }

    /// <summary>The Cloud Logging severity of a .NET log level.</summary>
    public static string Severity(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARNING",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "CRITICAL",
        _ => "DEFAULT",
    };

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? logEntry.State?.ToString() ?? "";
        var options = _options;
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("severity", Severity(logEntry.LogLevel));
            json.WriteString("message", message);
            json.WriteString("time", options.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteStartObject("logging.googleapis.com/labels");
            foreach (var (key, value) in options.Labels)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteString("category", logEntry.Category);
            if (logEntry.EventId.Id != 0)
            {
                json.WriteNumber("event_id", logEntry.EventId.Id);
            }

            if (!string.IsNullOrEmpty(logEntry.EventId.Name))
            {
                json.WriteString("event", logEntry.EventId.Name);
            }

            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                foreach (var (key, value) in fields)
                {
                    // The template, and a field that only repeats the message (Log.Fatal's {Message}), add nothing.
                    if (key == "{OriginalFormat}" || (SnakeCase(key) == "message" && Equals(value?.ToString(), message)))
                    {
                        continue;
                    }

                    var name = SnakeCase(key);
                    WriteField(json, Reserved.Contains(name) ? "field_" + name : name, value);
                }
            }

            if (logEntry.Exception is not null)
            {
                json.WriteString("stack_trace", logEntry.Exception.ToString());
            }

            json.WriteEndObject();
        }

        textWriter.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write('\n');
    }

    /// <inheritdoc />
    public void Dispose() => _reload?.Dispose();

    private static void WriteField(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(name);
                break;
            case bool b:
                json.WriteBoolean(name, b);
                break;
            case int or long or short or byte or uint or ulong:
                json.WriteNumber(name, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(name, Math.Round(d, 3));
                break;
            case float or decimal:
                json.WriteNumber(name, Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                break;
            default:
                json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary>DeadLettered → dead_lettered: the field style of Cloud Logging queries (jsonPayload.dead_lettered).</summary>
    internal static string SnakeCase(string name)
    {
        var s = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    s.Append('_');
                }

                s.Append(char.ToLowerInvariant(c));
            }
            else
            {
                s.Append(c);
            }
        }

        return s.ToString();
    }
}

using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using SalesIntel.Pipeline;
using SalesIntel.Pipeline.Logging;

namespace SalesIntel.Tests.Pipeline.Logging;

/// <summary>The JSON entries Cloud Logging parses: shape, severity, labels, fields, stack traces.</summary>
public sealed class CloudLoggingFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 23, 30, 5, 250, TimeSpan.Zero);

    private static (List<JsonElement> Stdout, List<JsonElement> Stderr) Capture(Action<ILogger> log, LogLevel level = LogLevel.Information)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var labels = new Dictionary<string, string> { ["run_id"] = "exec-1", ["task_index"] = "2", ["task_count"] = "4", ["execution"] = "exec-1" };
        using (var factory = RunLogging.Create(level, json: true, labels, new FakeTimeProvider(Now), stdout, stderr))
        {
            log(factory.CreateLogger("salesintel"));
        }

        static List<JsonElement> Parse(StringWriter w) =>
            [.. w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        return (Parse(stdout), Parse(stderr));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "DEBUG")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    [InlineData(LogLevel.Information, "INFO")]
    [InlineData(LogLevel.Warning, "WARNING")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Critical, "CRITICAL")]
    public void Severity_UsesCloudLoggingNames(LogLevel level, string severity) =>
        Assert.Equal(severity, CloudLoggingFormatter.Severity(level));

    [Fact]
    public void Progress_IsOneInfoEntryOnStdoutWithTheCountersAsFields()
    {
        var (stdout, stderr) = Capture(l => Log.Progress(l, 1200, 1100, 1000, 5, 3, 240.5, 5));
        Assert.Empty(stderr);
        var e = Assert.Single(stdout);
        Assert.Equal("INFO", e.GetProperty("severity").GetString());
        Assert.StartsWith("progress: read 1200, scored 1100, written 1000", e.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-12-02T23:30:05.2500000Z", e.GetProperty("time").GetString());
        Assert.Equal(1003, e.GetProperty("event_id").GetInt32());
        Assert.Equal("Progress", e.GetProperty("event").GetString());
        Assert.Equal((1200, 1100, 1000, 3), (e.GetProperty("read").GetInt64(), e.GetProperty("scored").GetInt64(), e.GetProperty("written").GetInt64(), e.GetProperty("dead_lettered").GetInt64()));
        Assert.Equal(240.5, e.GetProperty("rate").GetDouble());
        var labels = e.GetProperty("logging.googleapis.com/labels");
        Assert.Equal(("exec-1", "2", "4", "exec-1"), (labels.GetProperty("run_id").GetString(), labels.GetProperty("task_index").GetString(), labels.GetProperty("task_count").GetString(), labels.GetProperty("execution").GetString()));
    }

    [Fact]
    public void WarningsAndErrors_GoToStderr()
    {
        var (stdout, stderr) = Capture(l =>
        {
            Log.DeadLettersWritten(l, 7, "out/dead.jsonl");
            Log.Fatal(l, "the model is gone");
        });
        Assert.Empty(stdout);
        Assert.Equal(["WARNING", "ERROR"], stderr.Select(e => e.GetProperty("severity").GetString()));
        Assert.Equal(7, stderr[0].GetProperty("count").GetInt64());
        Assert.Equal("the model is gone", stderr[1].GetProperty("message").GetString());
        Assert.False(stderr[1].TryGetProperty("stack_trace", out _), "an expected failure carries no stack trace");
    }

    [Fact]
    public void Bug_CarriesTheExceptionAsStackTrace()
    {
        var (_, stderr) = Capture(l => Log.Bug(l, new InvalidOperationException("boom")));
        var e = Assert.Single(stderr);
        Assert.Contains("InvalidOperationException: boom", e.GetProperty("stack_trace").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MinimumLevel_IsHonoured()
    {
        var (stdout, stderr) = Capture(l => Log.SourcePlan(l, "x"), LogLevel.Warning);
        Assert.Empty(stdout);
        Assert.Empty(stderr);
    }

    [Theory]
    [InlineData("DeadLettered", "dead_lettered")]
    [InlineData("RunId", "run_id")]
    [InlineData("Read", "read")]
    [InlineData("HTTPStatus", "http_status")]
    public void FieldNames_AreSnakeCase(string name, string expected) => Assert.Equal(expected, CloudLoggingFormatter.SnakeCase(name));
}

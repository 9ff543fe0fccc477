using System.Text.Json;
using SalesIntel.Pipeline;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Hosting;

/// <summary><c>salesintel score --log-format json</c> in-process: every line a Cloud Logging entry, each failure once.</summary>
public sealed class ScoreCommandLoggingTests : IDisposable
{
    private const string Header = "account_id,account_name,domain,industry,country,lifecycle_stage,owner_email,employee_count,annual_revenue,arr,open_opportunities,pipeline_amount,last_activity_at,last_meeting_date,renewal_date,web_visits_30d,intent_score,intent_topics,product_usage_trend,support_tickets_open,notes,snapshot_date";

    private static readonly Dictionary<string, string> CloudRun = new()
    {
        ["CLOUD_RUN_EXECUTION"] = "nightly-abc12",
        ["CLOUD_RUN_TASK_INDEX"] = "1",
        ["CLOUD_RUN_TASK_COUNT"] = "3",
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-log-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Row(string id, string employees = "250") =>
        $"{id},Acme {id},acme.com,Software,DE,customer,a@x.com,{employees},1000000.5,50000,2,80000,2026-11-20T10:00:00Z,2026-11-10,2027-01-15,40,72.5,\"[\"\"crm\"\"]\",-0.2,3,notes,2026-11-27";

    private string WriteCsv(params string[] rows)
    {
        var path = PathOf("in.csv");
        File.WriteAllText(path, Header + "\n" + string.Join("\n", rows) + "\n");
        return path;
    }

    private Task<CliResult> Score(params string[] args) => CliRun.RunAsync(
        ["score", "--sink", PathOf("out/recs.csv"), "--dead-letter", PathOf("out/dead.jsonl"), "--summary", PathOf("out/summary.json"), .. args],
        new Dictionary<string, string>(CloudRun));

    /// <summary>Parses every line; a line that is not a JSON object fails the test.</summary>
    private static List<JsonElement> Entries(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var e = JsonDocument.Parse(line).RootElement;
            Assert.Equal(JsonValueKind.Object, e.ValueKind);
            return e;
        })];

    private static void AssertCloudRunEntry(JsonElement e)
    {
        Assert.Contains(e.GetProperty("severity").GetString(), new[] { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" });
        Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString()));
        Assert.True(DateTimeOffset.TryParse(e.GetProperty("time").GetString(), out var time) && time.Offset == TimeSpan.Zero);
        var labels = e.GetProperty("logging.googleapis.com/labels");
        Assert.Equal("nightly-abc12", labels.GetProperty("run_id").GetString());
        Assert.Equal("nightly-abc12", labels.GetProperty("execution").GetString());
        Assert.Equal("1", labels.GetProperty("task_index").GetString());
        Assert.Equal("3", labels.GetProperty("task_count").GetString());
        Assert.True(e.GetProperty("event_id").GetInt32() > 0);
    }

    [Fact]
    public async Task Json_CompletedRun_EveryLineIsAnEntryAndTheSummaryIsOne()
    {
        var result = await Score("--source", WriteCsv(Row("a1"), Row("a2"), Row("a3")), "--date", "2026-11-27", "--log-format", "json");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var stdout = Entries(result.Stdout);
        Assert.Empty(Entries(result.Stderr));
        Assert.All(stdout, AssertCloudRunEntry);
        Assert.All(stdout, e => Assert.Equal("INFO", e.GetProperty("severity").GetString()));
        var started = Assert.Single(stdout, e => e.GetProperty("event").GetString() == "RunStarting");
        Assert.Equal("rules", started.GetProperty("scorer").GetString());
        var finished = Assert.Single(stdout, e => e.GetProperty("event").GetString() == "RunFinished");
        Assert.Equal(("completed", 0, 3L, 3L, 0L), (finished.GetProperty("status").GetString(), finished.GetProperty("exit_code").GetInt32(), finished.GetProperty("read").GetInt64(), finished.GetProperty("written").GetInt64(), finished.GetProperty("dead_lettered").GetInt64()));
    }

    [Fact]
    public async Task Json_DeadLetters_AreAWarningOnStderr()
    {
        var result = await Score("--source", WriteCsv(Row("a1"), Row("a2", employees: "twelve")), "--date", "2026-11-27", "--log-format", "json");
        Assert.Equal(ExitCodes.PartialWithDeadLetters, result.ExitCode);
        var stderr = Entries(result.Stderr);
        Assert.All(stderr, AssertCloudRunEntry);
        var warning = Assert.Single(stderr);
        Assert.Equal(("WARNING", "DeadLettersWritten", 1L), (warning.GetProperty("severity").GetString(), warning.GetProperty("event").GetString(), warning.GetProperty("count").GetInt64()));
        Assert.All(Entries(result.Stdout), e => Assert.Equal("INFO", e.GetProperty("severity").GetString()));
    }

    [Fact]
    public async Task Json_InvalidConfiguration_IsExactlyOneErrorEntry()
    {
        var result = await Score("--source", WriteCsv(Row("a1")), "--date", "2026-13-45", "--limit", "0", "--log-format", "json");
        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        var all = Entries(result.Stdout).Concat(Entries(result.Stderr)).ToList();
        Assert.All(all, AssertCloudRunEntry);
        var error = Assert.Single(all);
        Assert.Equal(("ERROR", "InvalidConfiguration", 2), (error.GetProperty("severity").GetString(), error.GetProperty("event").GetString(), error.GetProperty("count").GetInt32()));
        Assert.Contains("2026-13-45", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("--limit '0'", error.GetProperty("problems").GetString(), StringComparison.Ordinal);
        Assert.Single(Entries(result.Stderr));
    }

    [Fact]
    public async Task Json_GuardTripped_IsOneErrorEntryAndNamedOnceInTheSummaryEntry()
    {
        var result = await Score("--source", WriteCsv(Row("a1"), Row("a2"), Row("a3")), "--date", "2026-11-27", "--max-rows", "2", "--log-format", "json");
        Assert.Equal(ExitCodes.GuardTripped, result.ExitCode);
        var stdout = Entries(result.Stdout);
        var stderr = Entries(result.Stderr);
        Assert.All(stdout.Concat(stderr), AssertCloudRunEntry);
        var error = Assert.Single(stdout.Concat(stderr), e => e.GetProperty("severity").GetString() == "ERROR");
        Assert.Contains(error, stderr);
        var reason = error.GetProperty("message").GetString()!;
        Assert.Contains("--max-rows", reason, StringComparison.Ordinal);
        var finished = Assert.Single(stdout, e => e.GetProperty("event").GetString() == "RunFinished");
        Assert.Equal(("failed", reason), (finished.GetProperty("status").GetString(), finished.GetProperty("error").GetString()));
        Assert.Equal(2, stdout.Concat(stderr).Count(e => e.GetRawText().Contains("nothing was published", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Auto_EmbeddedWithItsOwnWriters_StaysText()
    {
        var result = await Score("--source", WriteCsv(Row("a1")), "--date", "2026-11-27", "--run-id", "r1");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.StartsWith("run r1: completed (exit 0)", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"severity\"", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

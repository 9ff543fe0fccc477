using System.Text.Json;
using SalesIntel.Pipeline;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Hosting;

/// <summary>The score command end to end, in-process, on files a user would hand it.</summary>
public sealed class ScoreCommandTests : IDisposable
{
    private const string Header = "account_id,account_name,domain,industry,country,lifecycle_stage,owner_email,employee_count,annual_revenue,arr,open_opportunities,pipeline_amount,last_activity_at,last_meeting_date,renewal_date,web_visits_30d,intent_score,intent_topics,product_usage_trend,support_tickets_open,notes,snapshot_date";

    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-cli-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Row(string id, string date = "2026-11-27", string employees = "250") =>
        $"{id},Acme {id},acme.com,Software,DE,customer,a@x.com,{employees},1000000.5,50000,2,80000,2026-11-20T10:00:00Z,2026-11-10,2027-01-15,40,72.5,\"[\"\"crm\"\"]\",-0.2,3,\"notes, with \"\"quotes\"\"\",{date}";

    private string WriteCsv(string name, params string[] rows)
    {
        var path = PathOf(name);
        File.WriteAllText(path, Header + "\n" + string.Join("\n", rows) + "\n");
        return path;
    }

    private Task<CliResult> Score(params string[] args) => CliRun.RunAsync(
        ["score", "--sink", PathOf("out/recs.csv"), "--dead-letter", PathOf("out/dead.jsonl"), "--summary", PathOf("out/summary.json"), .. args]);

    private JsonElement Summary() => JsonDocument.Parse(File.ReadAllText(PathOf("out/summary.json"))).RootElement;

    [Fact]
    public async Task Score_CleanFile_WritesEveryRowAndASummary()
    {
        var source = WriteCsv("in.csv", [.. Enumerable.Range(0, 50).Select(i => Row($"acc-{i}"))]);
        var result = await Score("--source", source, "--date", "2026-11-27", "--run-id", "r1");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("run r1: completed (exit 0)", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(51, File.ReadAllLines(PathOf("out/recs.csv")).Length);
        var summary = Summary();
        Assert.Equal((50, 50, 0, 0), (summary.GetProperty("read").GetInt64(), summary.GetProperty("written").GetInt64(), summary.GetProperty("skipped").GetInt64(), summary.GetProperty("dead_lettered").GetInt64()));
        Assert.Equal("completed", summary.GetProperty("status").GetString());
        Assert.Empty(File.ReadAllText(PathOf("out/dead.jsonl")));
    }

    [Fact]
    public async Task Score_OptionsOfStagesNotChosen_AreStillValidated()
    {
        // A file source and the rules scorer read none of these, but a typo in a config must not wait for the day
        // the job is pointed at BigQuery or Gemini.
        var source = WriteCsv("in.csv", Row("acc-1"));
        var result = await Score("--source", source, "--date", "2026-11-27", "--read-compression", "gzip", "--max-streams", "0", "--rpm", "many", "--commit-seconds", "0");

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("4 problems", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--read-compression 'gzip' must be one of lz4, zstd, none", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--max-streams '0' must be a whole number between 1 and 1,000", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--rpm 'many' must be a whole number", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--commit-seconds '0' must be", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out/recs.csv")));
    }

    [Fact]
    public async Task Score_BadRows_AreDeadLetteredAndTheExitCodeSaysSo()
    {
        var source = WriteCsv("in.csv", Row("acc-1"), Row("acc-2", employees: "twelve"), Row("acc-3"), "acc-4,too,few,columns");
        var result = await Score("--source", source, "--date", "2026-11-27");
        Assert.Equal(ExitCodes.PartialWithDeadLetters, result.ExitCode);
        var dead = File.ReadAllLines(PathOf("out/dead.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, dead.Count);
        Assert.Contains(dead, d => d.GetProperty("position").GetString() == "line 3" && d.GetProperty("message").GetString()!.Contains("twelve", StringComparison.Ordinal));
        Assert.Contains(dead, d => d.GetProperty("position").GetString() == "line 5");
        var summary = Summary();
        Assert.Equal(summary.GetProperty("read").GetInt64(), summary.GetProperty("written").GetInt64() + summary.GetProperty("dead_lettered").GetInt64());
    }

    [Fact]
    public async Task Score_DeadLettersWithinTheRate_ExitZeroAndAreStillReported()
    {
        // 1 bad row in 200 is 0.5%, under the default 1%: a nightly run must not be retried by Cloud Run for it.
        var source = WriteCsv("in.csv", [.. Enumerable.Range(0, 199).Select(i => Row($"acc-{i}")), Row("acc-bad", employees: "twelve")]);
        var result = await Score("--source", source, "--date", "2026-11-27");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("dead-lettered", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Summary().GetProperty("dead_lettered").GetInt64());
        Assert.Single(File.ReadAllLines(PathOf("out/dead.jsonl")));
    }

    [Theory]
    [InlineData("0", ExitCodes.PartialWithDeadLetters)]
    [InlineData("0.004", ExitCodes.PartialWithDeadLetters)]
    [InlineData("0.005", ExitCodes.Success)]
    [InlineData("1", ExitCodes.Success)]
    public async Task Score_DeadLetterRate_AtTheLimitPasses_AboveItExitsFour(string rate, int expected)
    {
        var source = WriteCsv("in.csv", [.. Enumerable.Range(0, 199).Select(i => Row($"acc-{i}")), Row("acc-bad", employees: "twelve")]);
        var result = await Score("--source", source, "--date", "2026-11-27", "--max-dead-letter-rate", rate);
        Assert.Equal(expected, result.ExitCode);
        Assert.Equal(expected, Summary().GetProperty("exit_code").GetInt32());
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("1%")]
    public async Task Score_DeadLetterRateOutsideZeroToOne_IsBadConfiguration(string rate)
    {
        var result = await Score("--source", WriteCsv("in.csv", Row("acc-1")), "--date", "2026-11-27", "--max-dead-letter-rate", rate);
        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains($"--max-dead-letter-rate '{rate}' must be a number between 0 and 1", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_DateYesterday_ScoresTheDayBeforeTheRunStarts_AndSaysWhichDay()
    {
        // CliRun's clock is 2026-11-28 06:00 UTC: yesterday is the fixture's 2026-11-27.
        var source = WriteCsv("in.csv", Row("acc-1"), Row("acc-2", date: "2026-11-26"));
        var result = await Score("--source", source, "--date", "yesterday");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("2026-11-27", Summary().GetProperty("dates").GetString());
        Assert.Equal(2, File.ReadAllLines(PathOf("out/recs.csv")).Length);
    }

    [Fact]
    public async Task DryRun_ShowsTheResolvedDatesAndTheDayTheyWereResolvedAgainst()
    {
        var result = await Score("--source", WriteCsv("in.csv", Row("acc-1")), "--date", "today-1", "--timezone", "Asia/Tokyo", "--dry-run");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        // 06:00 UTC is 15:00 in Tokyo, the same calendar day.
        Assert.Contains("dates          2026-11-27 (today is 2026-11-28 in Asia/Tokyo)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_WithoutADate_IsRefusedBeforeReading()
    {
        var result = await Score("--source", WriteCsv("in.csv", Row("acc-1")));
        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("no partition selected", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out/recs.csv")));
    }

    [Fact]
    public async Task Score_ReportOnTheSummaryPath_IsRefusedBeforeReading()
    {
        var result = await Score("--source", WriteCsv("in.csv", Row("acc-1")), "--date", "2026-11-27", "--report", PathOf("out/summary.json"));
        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("is the same file as --summary", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out/recs.csv")));
    }

    [Fact]
    public async Task Score_WithReport_WritesTheHtmlPageWithTheRunsFigures()
    {
        var source = WriteCsv("in.csv", [.. Enumerable.Range(0, 20).Select(i => Row($"acc-{i}"))]);
        var result = await Score("--source", source, "--date", "2026-11-27", "--run-id", "r1", "--report", PathOf("out/report.html"));
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var html = File.ReadAllText(PathOf("out/report.html"));
        Assert.Contains("<title>SalesIntel run r1</title>", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"written\">20</td>", html, StringComparison.Ordinal);
        Assert.Contains("<section data-chart=\"tier-distribution\" data-total=\"20\">", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_SeveralBadOptions_AreAllReportedInOneMessage()
    {
        var result = await Score("--source", "x.csv", "--date", "last-tuesday", "--concurrency", "0", "--sink-format", "xml");
        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("3 problems", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--date 'last-tuesday' must be a date YYYY-MM-DD", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--concurrency '0' must be a whole number between 1 and 512", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--sink-format 'xml'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MissingSourceFile_IsOneClearLineAndNoStackTrace()
    {
        var result = await Score("--source", PathOf("nope.csv"), "--date", "2026-11-27");
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("nope.csv", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out/recs.csv")));
    }

    [Fact]
    public async Task Score_UnwritableOutputFolder_FailsBeforeReadingNamingThePath()
    {
        File.WriteAllText(PathOf("blocker"), "a file, not a folder");
        var result = await CliRun.RunAsync(["score", "--source", WriteCsv("in.csv", Row("acc-1")), "--date", "2026-11-27", "--sink", PathOf("blocker/recs.csv"), "--summary", PathOf("s.json"), "--dead-letter", PathOf("d.jsonl")]);
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        Assert.Contains("blocker/recs.csv", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("writable", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MaxRowsGuard_PublishesNothing()
    {
        var source = WriteCsv("in.csv", [.. Enumerable.Range(0, 30).Select(i => Row($"acc-{i}"))]);
        var result = await Score("--source", source, "--date", "2026-11-27", "--max-rows", "10");
        Assert.Equal(ExitCodes.GuardTripped, result.ExitCode);
        Assert.Contains("--max-rows", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out/recs.csv")));
    }

    [Fact]
    public async Task Score_Limit_ScoresExactlyN()
    {
        var source = WriteCsv("in.csv", [.. Enumerable.Range(0, 30).Select(i => Row($"acc-{i}"))]);
        var result = await Score("--source", source, "--date", "2026-11-27", "--limit", "7");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(8, File.ReadAllLines(PathOf("out/recs.csv")).Length);
        Assert.True(Summary().GetProperty("limit_reached").GetBoolean());
    }

    [Fact]
    public async Task Score_LimitOverMaxRows_TripsTheGuardNamingLimitWithoutAdvisingIt()
    {
        var source = WriteCsv("in.csv", [.. Enumerable.Range(0, 30).Select(i => Row($"acc-{i}"))]);
        var result = await Score("--source", source, "--all-dates", "--limit", "10", "--max-rows", "5");
        Assert.Equal(ExitCodes.GuardTripped, result.ExitCode);
        Assert.Contains("--limit 10 reads more than --max-rows 5 rows", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("use --limit", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out/recs.csv")));
    }

    [Fact]
    public async Task Score_LimitUnderMaxRows_IsATrialRunTheGuardNeverStops()
    {
        var source = WriteCsv("in.csv", [.. Enumerable.Range(0, 30).Select(i => Row($"acc-{i}"))]);
        var result = await Score("--source", source, "--all-dates", "--limit", "5", "--max-rows", "10");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(6, File.ReadAllLines(PathOf("out/recs.csv")).Length);
        Assert.True(Summary().GetProperty("limit_reached").GetBoolean());
    }

    [Fact]
    public async Task Score_DateFilter_SkipsOtherPartitionsWithoutCountingThemAsRead()
    {
        var source = WriteCsv("in.csv", Row("a", "2026-11-26"), Row("b", "2026-11-27"), Row("c", "2026-11-28"));
        var result = await Score("--source", source, "--from", "2026-11-27", "--to", "2026-11-28");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var summary = Summary();
        Assert.Equal((2, 1), (summary.GetProperty("read").GetInt64(), summary.GetProperty("outside_date_filter").GetInt64()));
    }

    [Fact]
    public async Task Score_SameRunTwice_ReplacesItsOwnOutput()
    {
        var source = WriteCsv("in.csv", Row("acc-1"), Row("acc-2"));
        await Score("--source", source, "--date", "2026-11-27", "--run-id", "same");
        var first = File.ReadAllText(PathOf("out/recs.csv"));
        await Score("--source", source, "--date", "2026-11-27", "--run-id", "same");
        Assert.Equal(first, File.ReadAllText(PathOf("out/recs.csv")));
        Assert.Equal(3, File.ReadAllLines(PathOf("out/recs.csv")).Length);
    }

    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.arrow")]
    [InlineData("out.arrows")]
    public async Task Score_EverySinkFormat_WritesTheSameRows(string sink)
    {
        var source = WriteCsv("in.csv", Row("acc-1"), Row("acc-2"));
        var result = await CliRun.RunAsync(["score", "--source", source, "--date", "2026-11-27", "--sink", PathOf(sink), "--summary", PathOf("s.json"), "--dead-letter", PathOf("d.jsonl")]);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.True(new FileInfo(PathOf(sink)).Length > 0);
    }

    [Fact]
    public async Task Score_DryRun_PrintsThePlanAndWritesNothing()
    {
        var result = await Score("--source", WriteCsv("in.csv", Row("acc-1")), "--date", "2026-11-27", "--dry-run");
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("dry run", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("account_id, account_name", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("out/recs.csv")));
    }

    [Fact]
    public async Task Help_ListsEveryOptionWithItsEnvironmentVariable()
    {
        var result = await CliRun.RunAsync(["score", "--help"]);
        Assert.Equal(ExitCodes.Success, result.ExitCode);
        foreach (var spec in SalesIntel.Pipeline.Cli.ScoreOptions.All)
        {
            Assert.Contains(spec.Name, result.Stdout, StringComparison.Ordinal);
            if (spec.EnvVar is not null)
            {
                Assert.Contains(spec.EnvVar, result.Stdout, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task UnknownCommand_ShowsTheCommands()
    {
        var result = await CliRun.RunAsync(["scroe"]);
        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("unknown command 'scroe'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("salesintel score", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_StoppedBeforeReading_LeavesTheEarlierOutputUntouched()
    {
        var source = WriteCsv("in.csv", Row("acc-1"), Row("acc-2"));
        await Score("--source", source, "--date", "2026-11-27");
        var earlier = File.ReadAllText(PathOf("out/recs.csv"));
        using var stop = new SalesIntel.Pipeline.Hosting.StopSignal();
        stop.Request();
        var result = await CliRun.RunAsync(["score", "--source", source, "--date", "2026-11-27", "--sink", PathOf("out/recs.csv"), "--dead-letter", PathOf("out/dead.jsonl"), "--summary", PathOf("out/summary.json")], stop: stop);
        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Equal(earlier, File.ReadAllText(PathOf("out/recs.csv")));
        Assert.Equal(0, Summary().GetProperty("read").GetInt64());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

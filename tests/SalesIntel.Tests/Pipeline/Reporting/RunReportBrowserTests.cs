using System.Text.Json;
using SalesIntel.Pipeline;
using SalesIntel.Pipeline.Reporting;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Reporting;

/// <summary>The run report in a real headless Chromium: it loads without console errors and its charts hold the summary's figures.</summary>
public sealed class RunReportBrowserTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-report-browser-").FullName;

    private string PathOf(string name) => System.IO.Path.Combine(_dir, name);

    [ChromiumFact]
    public async Task Report_InChromium_LoadsCleanlyAndItsChartsHoldTheSummaryFigures()
    {
        var (summary, tally) = RunReportTests.SampleRun();
        var path = PathOf("report.html");
        await RunReport.WriteAsync(path, summary, tally);

        var page = await HeadlessChromium.LoadAsync(path, Timeout);

        Assert.True(page.ConsoleLines.Count == 0, "console output: " + string.Join("\n", page.ConsoleLines));
        Assert.Contains("data-report-loaded=\"6\"", page.Dom, StringComparison.Ordinal);
        Assert.Equal(tally.ScoreBins.Select(b => (double)b), RunReportTests.Bars(page.Dom, "score-histogram").Values);
        Assert.Equal(tally.TierCounts.ToDictionary(kv => kv.Key, kv => (double)kv.Value), RunReportTests.Bars(page.Dom, "tier-distribution"));
        Assert.Equal(summary.DeadLetterReasons.ToDictionary(kv => kv.Key, kv => (double)kv.Value), RunReportTests.Bars(page.Dom, "dead-letters"));
        Assert.Equal(new Dictionary<string, double> { ["p50"] = 420, ["p95"] = 1_250 }, RunReportTests.Bars(page.Dom, "latency"));
        Assert.Equal(12_345, RunReportTests.Bars(page.Dom, "tokens")["in"]);
        Assert.Equal(new Dictionary<string, double> { ["carried"] = 9, ["scored afresh"] = 3 }, RunReportTests.Bars(page.Dom, "carry-forward"));

        // The hostile reason is text in the DOM, not an element the browser built.
        Assert.DoesNotContain("<script>alert(1)", page.Dom, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task ConsoleCheck_APageThatLogsAnError_IsCaught()
    {
        // Proves the console check above can fail: the same browser flags, a page that logs.
        var path = PathOf("noisy.html");
        await File.WriteAllTextAsync(path, "<!DOCTYPE html><html><body><script>console.error('report broke');</script></body></html>");

        var page = await HeadlessChromium.LoadAsync(path, Timeout);

        Assert.Contains(page.ConsoleLines, l => l.Contains("report broke", StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task ScoreWithReport_InChromium_ChartsMatchTheWrittenRowsAndTheSummaryFile()
    {
        const string Header = "account_id,account_name,domain,industry,country,lifecycle_stage,owner_email,employee_count,annual_revenue,arr,open_opportunities,pipeline_amount,last_activity_at,last_meeting_date,renewal_date,web_visits_30d,intent_score,intent_topics,product_usage_trend,support_tickets_open,notes,snapshot_date";
        static string Row(int i, string employees = "250") =>
            $"acc-{i},Acme {i},acme.com,Software,DE,customer,a@x.com,{employees},{1000 + (i * 997)},{i * 5000},{i % 4},{i * 9000},2026-11-20T10:00:00Z,2026-11-10,2027-01-15,{i * 7 % 90},{i * 13 % 100},\"[\"\"crm\"\"]\",{(i % 5 - 2) / 10.0},{i % 3},notes,2026-11-27";
        var rows = Enumerable.Range(0, 40).Select(i => Row(i)).Append(Row(99, employees: "<b>twelve</b>"));
        await File.WriteAllTextAsync(PathOf("in.csv"), Header + "\n" + string.Join("\n", rows) + "\n");

        var result = await CliRun.RunAsync(["score", "--source", PathOf("in.csv"), "--date", "2026-11-27", "--sink", PathOf("out/recs.csv"),
            "--dead-letter", PathOf("out/dead.jsonl"), "--summary", PathOf("out/summary.json"), "--report", PathOf("out/report.html")]);
        Assert.Equal(ExitCodes.PartialWithDeadLetters, result.ExitCode);

        var page = await HeadlessChromium.LoadAsync(PathOf("out/report.html"), Timeout);

        Assert.True(page.ConsoleLines.Count == 0, "console output: " + string.Join("\n", page.ConsoleLines));
        var summary = JsonDocument.Parse(await File.ReadAllTextAsync(PathOf("out/summary.json"))).RootElement;
        var tiers = RunReportTests.Bars(page.Dom, "tier-distribution");
        Assert.Equal(summary.GetProperty("written").GetInt64(), (long)tiers.Values.Sum());
        Assert.Equal(summary.GetProperty("written").GetInt64(), (long)RunReportTests.Bars(page.Dom, "score-histogram").Values.Sum());

        // The tier chart is the tier column of the file the sink wrote.
        var lines = (await File.ReadAllLinesAsync(PathOf("out/recs.csv"))).ToList();
        var tierColumn = lines[0].Split(',').ToList().IndexOf("tier");
        var written = lines.Skip(1).Select(l => l.Split(',')[tierColumn]).GroupBy(t => t).ToDictionary(g => g.Key, g => (double)g.Count());
        Assert.Equal(written, tiers.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value));

        var reasons = summary.GetProperty("dead_letter_reasons").EnumerateObject().ToDictionary(p => p.Name, p => (double)p.Value.GetInt64());
        Assert.Equal(reasons, RunReportTests.Bars(page.Dom, "dead-letters"));
        Assert.Contains($"<td data-field=\"read\">{summary.GetProperty("read").GetInt64()}</td>", page.Dom, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

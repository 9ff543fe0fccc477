using System.Text.Json;
using SalesIntel.Pipeline;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Composition;

/// <summary>Carry-forward end to end through the CLI on files: a day-two run against the day-one output (<c>--previous</c>).</summary>
public sealed class CarryForwardSetupTests : IDisposable
{
    private const string Header = "account_id,account_name,domain,industry,country,lifecycle_stage,owner_email,employee_count,annual_revenue,arr,open_opportunities,pipeline_amount,last_activity_at,last_meeting_date,renewal_date,web_visits_30d,intent_score,intent_topics,product_usage_trend,support_tickets_open,notes,snapshot_date";

    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-carry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Row(int i, string date, int employees = 250, int visits = 40) =>
        $"acc-{i:D3},Acme {i},acme.com,Software,DE,customer,a@x.com,{employees},1000000.5,50000,2,80000,2026-11-20T10:00:00Z,2026-11-10,2027-01-15,{visits},72.5,\"[\"\"crm\"\"]\",-0.2,3,notes,{date}";

    /// <summary>20 accounts on <paramref name="date"/>; the ids in <paramref name="changed"/> have other signals.</summary>
    private string Day(string name, string date, params int[] changed)
    {
        var path = PathOf(name);
        File.WriteAllLines(path, [Header, .. Enumerable.Range(0, 20).Select(i => Row(i, date, changed.Contains(i) ? 900 : 250))]);
        return path;
    }

    private async Task<(CliResult Result, JsonElement Summary, List<Dictionary<string, string>> Rows)> Score(string source, string date, string sink, params string[] extra)
    {
        var result = await CliRun.RunAsync(["score", "--source", source, "--date", date, "--sink", PathOf(sink), "--dead-letter", PathOf("dead.jsonl"), "--summary", PathOf("summary.json"), "--run-id", "r-" + date, .. extra]);
        var summary = JsonDocument.Parse(File.ReadAllText(PathOf("summary.json"))).RootElement.Clone();
        var lines = File.Exists(PathOf(sink)) ? File.ReadAllLines(PathOf(sink)) : [];
        var header = lines.Length > 0 ? lines[0].Split(',') : [];

        // The fixture rows hold no commas or quotes in the columns compared here except rationale/actions, so the
        // last columns are read from the end of each line.
        var rows = lines.Skip(1).Select(l => l.Split(',')).Select(f => new Dictionary<string, string>
        {
            ["account_id"] = f[0],
            ["score_date"] = f[1],
            ["material_hash"] = f[^2],
            ["carried_from"] = f[^1],
            ["input_tokens"] = f[^5],
        }).ToList();
        Assert.Equal(["material_hash", "carried_from"], header[^2..]);
        return (result, summary, rows);
    }

    private static long Metric(JsonElement summary, string name) =>
        summary.GetProperty("scorer_metrics").TryGetProperty(name, out var v) ? v.GetInt64() : -1;

    [Fact]
    public async Task SecondDay_UnchangedAccountsAreCarried_ChangedOnesScored_AndEveryRowIsAccountedFor()
    {
        var (first, _, day1) = await Score(Day("d1.csv", "2026-11-26"), "2026-11-26", "out1.csv");
        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.All(day1, r => Assert.Matches("^[0-9a-f]{32}$", r["material_hash"]));
        Assert.All(day1, r => Assert.Equal("", r["carried_from"]));

        var (second, summary, day2) = await Score(Day("d2.csv", "2026-11-27", 3, 7), "2026-11-27", "out2.csv", "--previous", PathOf("out1.csv"));

        Assert.Equal(ExitCodes.Success, second.ExitCode);
        Assert.Equal((20L, 20L, 0L, 0L), (summary.GetProperty("read").GetInt64(), summary.GetProperty("written").GetInt64(), summary.GetProperty("skipped").GetInt64(), summary.GetProperty("dead_lettered").GetInt64()));
        Assert.Equal((18L, 2L), (Metric(summary, "carried_forward"), Metric(summary, "carry_changed")));
        Assert.Equal(20, day2.Select(r => r["account_id"]).Distinct().Count());
        var carried = day2.Where(r => r["carried_from"] != "").ToList();
        Assert.Equal(18, carried.Count);
        Assert.All(carried, r => Assert.Equal(("2026-11-27", "2026-11-26", "0"), (r["score_date"], r["carried_from"], r["input_tokens"])));
        Assert.Equal(["acc-003", "acc-007"], day2.Where(r => r["carried_from"] == "").Select(r => r["account_id"]).Order());
        var byId = day1.ToDictionary(r => r["account_id"], r => r["material_hash"]);
        Assert.All(carried, r => Assert.Equal(byId[r["account_id"]], r["material_hash"]));
    }

    [Fact]
    public async Task ThirdDay_CarriesFromTheDateItWasScored_NotTheDateItWasLastWritten()
    {
        await Score(Day("d1.csv", "2026-11-26"), "2026-11-26", "out1.csv");
        await Score(Day("d2.csv", "2026-11-27"), "2026-11-27", "out2.csv", "--previous", PathOf("out1.csv"));

        var (_, summary, day3) = await Score(Day("d3.csv", "2026-11-28"), "2026-11-28", "out3.csv", "--previous", PathOf("out2.csv"));

        Assert.Equal(20L, Metric(summary, "carried_forward"));
        Assert.All(day3, r => Assert.Equal("2026-11-26", r["carried_from"]));
    }

    [Fact]
    public async Task AfterTheWindow_UnchangedAccountsAreScoredAfresh()
    {
        await Score(Day("d1.csv", "2026-11-26"), "2026-11-26", "out1.csv");

        var (_, summary, rows) = await Score(Day("d9.csv", "2026-12-04"), "2026-12-04", "out9.csv", "--previous", PathOf("out1.csv"), "--carry-forward-days", "7");

        Assert.Equal((0L, 20L), (Metric(summary, "carried_forward"), Metric(summary, "carry_not_found")));
        Assert.All(rows, r => Assert.Equal("", r["carried_from"]));
    }

    [Fact]
    public async Task Rescore_OrAZeroWindow_ScoresEverything()
    {
        await Score(Day("d1.csv", "2026-11-26"), "2026-11-26", "out1.csv");
        var day2 = Day("d2.csv", "2026-11-27");

        var (rescore, rescoreSummary, rescored) = await Score(day2, "2026-11-27", "out2.csv", "--previous", PathOf("out1.csv"), "--rescore");
        var (off, offSummary, _) = await Score(day2, "2026-11-27", "out3.csv", "--previous", PathOf("out1.csv"), "--carry-forward-days", "0");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (rescore.ExitCode, off.ExitCode));
        Assert.Equal((-1L, -1L), (Metric(rescoreSummary, "carried_forward"), Metric(offSummary, "carried_forward")));
        Assert.All(rescored, r => Assert.Equal("", r["carried_from"]));
        Assert.All(rescored, r => Assert.NotEqual("", r["material_hash"]));
    }

    [Fact]
    public async Task VolatileColumns_ChangesInThemDoNotStopCarryForward()
    {
        await Score(Day("d1.csv", "2026-11-26"), "2026-11-26", "out1.csv", "--volatile-columns", "web_visits_30d");
        var path = PathOf("d2.csv");
        File.WriteAllLines(path, [Header, .. Enumerable.Range(0, 20).Select(i => Row(i, "2026-11-27", visits: 41 + i))]);

        var (_, summary, _) = await Score(path, "2026-11-27", "out2.csv", "--previous", PathOf("out1.csv"), "--volatile-columns", "web_visits_30d");
        var (_, strict, _) = await Score(path, "2026-11-27", "out3.csv", "--previous", PathOf("out1.csv"));

        Assert.Equal(20L, Metric(summary, "carried_forward"));
        Assert.Equal(0L, Metric(strict, "carried_forward"));
    }
}

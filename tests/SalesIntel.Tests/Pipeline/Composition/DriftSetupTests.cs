using System.Text.Json;
using SalesIntel.Pipeline;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Composition;

/// <summary>The drift gate end to end through the CLI on files: day one scored, day two compared with it (<c>--previous</c>).</summary>
public sealed class DriftSetupTests : IDisposable
{
    private const string Header = "account_id,account_name,domain,industry,country,lifecycle_stage,owner_email,employee_count,annual_revenue,arr,open_opportunities,pipeline_amount,last_activity_at,last_meeting_date,renewal_date,web_visits_30d,intent_score,intent_topics,product_usage_trend,support_tickets_open,notes,snapshot_date";

    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-drift-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static string Hot(int i, string date) =>
        $"acc-{i:D3},Acme {i},acme.com,Software,DE,customer,a@x.com,250,1000000.5,50000,4,800000,2026-11-20T10:00:00Z,2026-11-19,2027-01-15,90,95,\"[\"\"crm\"\"]\",0.4,0,notes,{date}";

    private static string Cold(int i, string date) =>
        $"acc-{i:D3},Acme {i},acme.com,Software,DE,churned,a@x.com,3,1000.5,0,0,0,2025-01-20T10:00:00Z,2025-01-10,2027-01-15,0,1,\"[]\",-0.9,9,notes,{date}";

    private string Day(string name, string date, bool cold)
    {
        var path = PathOf(name);
        File.WriteAllLines(path, [Header, .. Enumerable.Range(0, 20).Select(i => cold ? Cold(i, date) : Hot(i, date))]);
        return path;
    }

    private async Task<(CliResult Result, JsonElement Summary)> Score(string source, string date, string sink, params string[] extra)
    {
        var result = await CliRun.RunAsync(["score", "--source", source, "--date", date, "--sink", PathOf(sink), "--dead-letter", PathOf("dead.jsonl"), "--summary", PathOf("summary.json"), "--run-id", "r-" + date, .. extra]);
        var summary = JsonDocument.Parse(File.ReadAllText(PathOf("summary.json"))).RootElement.Clone();
        return (result, summary);
    }

    [Fact]
    public async Task SecondDay_TiersFlipWithOnDriftFail_Exits5AndWritesNoOutput()
    {
        await Score(Day("d1.csv", "2026-11-26", cold: false), "2026-11-26", "out1.csv");

        var (result, summary) = await Score(Day("d2.csv", "2026-11-27", cold: true), "2026-11-27", "out2.csv", "--previous", PathOf("out1.csv"), "--on-drift", "fail");

        Assert.Equal(ExitCodes.DriftTripped, result.ExitCode);
        Assert.False(File.Exists(PathOf("out2.csv")));
        Assert.Equal("tripped", summary.GetProperty("drift").GetProperty("status").GetString());
        Assert.Contains("drift gate tripped", summary.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("tier changes 100.0% > 25.0%", summary.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondDay_TiersFlipWithOnDriftWarn_PublishesAndFlagsIt()
    {
        await Score(Day("d1.csv", "2026-11-26", cold: false), "2026-11-26", "out1.csv");

        var (result, summary) = await Score(Day("d2.csv", "2026-11-27", cold: true), "2026-11-27", "out2.csv", "--previous", PathOf("out1.csv"), "--on-drift", "warn");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(21, File.ReadAllLines(PathOf("out2.csv")).Length);
        var drift = summary.GetProperty("drift");
        Assert.Equal(("tripped", "warn", 20), (drift.GetProperty("status").GetString(), drift.GetProperty("action").GetString(), drift.GetProperty("sample").GetProperty("size").GetInt32()));
        Assert.Contains("drift", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("WARNING tripped", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondDay_PreviousScoredByAnotherPromptVersion_FailsByDefault()
    {
        await Score(Day("d1.csv", "2026-11-26", cold: false), "2026-11-26", "out1.csv");
        File.WriteAllText(PathOf("out1.csv"), File.ReadAllText(PathOf("out1.csv")).Replace(",rules-v1,", ",rules-v0,", StringComparison.Ordinal));

        var (result, summary) = await Score(Day("d2.csv", "2026-11-27", cold: true), "2026-11-27", "out2.csv", "--previous", PathOf("out1.csv"));

        Assert.Equal(ExitCodes.DriftTripped, result.ExitCode);
        Assert.False(File.Exists(PathOf("out2.csv")));
        Assert.Equal("fail", summary.GetProperty("drift").GetProperty("action").GetString());
    }

    [Fact]
    public async Task SecondDay_Unchanged_PassesAndPublishes()
    {
        await Score(Day("d1.csv", "2026-11-26", cold: false), "2026-11-26", "out1.csv");

        var (result, summary) = await Score(Day("d2.csv", "2026-11-27", cold: false), "2026-11-27", "out2.csv", "--previous", PathOf("out1.csv"), "--rescore", "--on-drift", "fail");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(("passed", 20), (summary.GetProperty("drift").GetProperty("status").GetString(), summary.GetProperty("drift").GetProperty("sample").GetProperty("size").GetInt32()));
        Assert.Equal(21, File.ReadAllLines(PathOf("out2.csv")).Length);
    }

    [Fact]
    public async Task FirstDay_NoPrevious_SaysSoAndDoesNotBlock()
    {
        var (result, summary) = await Score(Day("d1.csv", "2026-11-26", cold: false), "2026-11-26", "out1.csv", "--on-drift", "fail");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("no_previous", summary.GetProperty("drift").GetProperty("status").GetString());
        Assert.StartsWith("no previous run to compare", summary.GetProperty("drift").GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}

using System.Globalization;
using SalesIntel.Pipeline;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Compare;
using SalesIntel.Pipeline.Hosting;
using SalesIntel.Stages.Model;
using SalesIntel.Tests.Stages.Scoring.Gemini;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Compare;

/// <summary>
/// <c>salesintel compare</c> end to end, in-process, against the fake Vertex AI: two models that disagree by
/// construction (model B answers 30 points lower), so every printed figure can be computed from the fixture.
/// </summary>
public sealed class CompareCommandTests : IAsyncLifetime
{
    private const string Header = "account_id,account_name,domain,industry,country,lifecycle_stage,owner_email,employee_count,annual_revenue,arr,open_opportunities,pipeline_amount,last_activity_at,last_meeting_date,renewal_date,web_visits_30d,intent_score,intent_topics,product_usage_trend,support_tickets_open,notes,snapshot_date";
    private const string ModelA = "gemini-3.1-flash-lite";
    private const string ModelB = "gemini-3.5-flash-lite";
    private const int Shift = 30;

    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-compare-").FullName;
    private FakeVertexAi _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeVertexAi.StartAsync();
        _fake.AnswerForModel = (model, account) =>
        {
            var answer = FakeVertexAi.AnswerFor(account);
            if (model != ModelB)
            {
                return answer;
            }

            var score = Math.Max(0, answer.Score - Shift);
            return (score, Tiers.ForScore(score), answer.Rationale, answer.Actions, answer.Confidence);
        };
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Compare_TwoModelsThatDisagreeByConstruction_PrintsTheMatrixAgreementAndDifferenceTheConstructionImplies()
    {
        const int sample = 20;
        var result = await Compare("--source", WriteCsv(30), "--sample", "20", "--model", ModelA, "--model", ModelB);

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stdout + result.Stderr);

        // Expected from the fixture: A scores intent, B scores intent - 30 (at least 0).
        var scores = Enumerable.Range(1, sample).Select(i => (A: Intent(i), B: Math.Max(0, Intent(i) - Shift))).ToList();
        var agreeing = scores.Count(s => Tiers.ForScore(s.A) == Tiers.ForScore(s.B));
        var mae = scores.Average(s => Math.Abs(s.B - s.A));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"agreement: {100.0 * agreeing / sample:0.0}% ({agreeing} of {sample})"), result.Stdout, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"mean absolute score difference: {mae:0.00}"), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("paired: 20, unpaired: 0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 rows failed decoding", result.Stdout, StringComparison.Ordinal);
        var lines = result.Stdout.Split('\n');
        foreach (var a in CompareStatistics.TierOrder)
        {
            var row = lines.Single(l => l.StartsWith($"  A:{a} ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
            var expected = CompareStatistics.TierOrder.Select(b => scores.Count(s => Tiers.ForScore(s.A) == a && Tiers.ForScore(s.B) == b)).ToArray();
            Assert.Equal(expected, row);
        }

        Assert.Contains($"side A: gemini {ModelA}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"side B: gemini {ModelB}", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("cost per 1,000 accounts: $", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("latency: p50 ", result.Stdout, StringComparison.Ordinal);

        // The pairs file: one row per account, both sides filled.
        var rows = File.ReadAllLines(PathOf("out/compare.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(Enumerable.Range(1, sample).Select(Id), rows.Select(r => r[0]));
        Assert.All(rows, r => Assert.Equal(Math.Max(0, int.Parse(r[3], CultureInfo.InvariantCulture) - Shift), int.Parse(r[4], CultureInfo.InvariantCulture)));

        // Both models scored exactly the same sample, once each.
        var byModel = _fake.ScoringRequests.GroupBy(r => r.Request.Model.Split('/').Last()).ToDictionary(g => g.Key, g => g.Select(r => r.AccountId).Order().ToList());
        Assert.Equal([ModelA, ModelB], byModel.Keys.Order());
        Assert.Equal(Enumerable.Range(1, sample).Select(Id).Order(), byModel[ModelA]);
        Assert.Equal(byModel[ModelA], byModel[ModelB]);
    }

    [ChromiumFact]
    public async Task CompareWithReport_InChromium_LoadsCleanlyAndItsMatrixAndDifferencesHoldThePairsFileFigures()
    {
        const int sample = 20;
        var report = PathOf("out/compare.html");
        var result = await Compare("--source", WriteCsv(sample), "--sample", "20", "--model", ModelA, "--model", ModelB, "--report", report);
        Assert.True(result.ExitCode == ExitCodes.Success, result.Stdout + result.Stderr);
        Assert.Contains($"report written to {report}", result.Stdout, StringComparison.Ordinal);

        var page = await HeadlessChromium.LoadAsync(report, TimeSpan.FromSeconds(30));

        Assert.True(page.ConsoleLines.Count == 0, "console output: " + string.Join("\n", page.ConsoleLines));
        Assert.Contains("data-report-loaded=\"4\"", page.Dom, StringComparison.Ordinal);

        // Every chart from the pairs file the same run wrote: tiers in columns 1-2, scores in 3-4.
        var rows = File.ReadAllLines(PathOf("out/compare.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var matrix = Reporting.RunReportTests.Bars(page.Dom, "tier-matrix");
        Assert.Equal(16, matrix.Count);
        foreach (var a in CompareStatistics.TierOrder)
        {
            foreach (var b in CompareStatistics.TierOrder)
            {
                Assert.Equal(rows.Count(r => r[1] == a && r[2] == b), (int)matrix[$"A:{a} B:{b}"]);
            }
        }

        var differences = Reporting.RunReportTests.Bars(page.Dom, "score-difference");
        var expected = rows.Select(r => int.Parse(r[4], CultureInfo.InvariantCulture) - int.Parse(r[3], CultureInfo.InvariantCulture))
            .GroupBy(d => CompareStatistics.DifferenceBinLabels[CompareStatistics.BinOf(d)]).ToDictionary(g => g.Key, g => (double)g.Count());
        Assert.Equal(expected, differences.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value));
        Assert.Equal(sample, (int)differences.Values.Sum());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"<td data-field=\"paired\">{sample}</td>"), page.Dom, StringComparison.Ordinal);
        Assert.True(Reporting.RunReportTests.Bars(page.Dom, "tokens")["A in"] > 0);
        Assert.Equal(6, Reporting.RunReportTests.Bars(page.Dom, "latency").Count);
    }

    [Fact]
    public async Task Compare_WithAReportThatIsNotHtml_ExitsTwoInOneLine()
    {
        var result = await Compare("--source", WriteCsv(3), "--model", ModelA, "--model", ModelB, "--report", PathOf("out/compare.txt"));

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        Assert.Contains("--report", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("must end in .html", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_fake.GenerateRequests);
    }

    [Fact]
    public async Task Compare_SideBModelNotServed_ExitsOneInOneLineNamingTheSideBeforeAnyAccountIsScored()
    {
        _fake.Models.Remove(ModelB);

        var result = await Compare("--source", WriteCsv(5), "--sample", "5", "--model", ModelA, "--model", ModelB);

        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"salesintel compare: side B (gemini {ModelB}", line, StringComparison.Ordinal);
        Assert.Empty(_fake.ScoringRequests); // both canaries ran first; no account was scored
        Assert.False(File.Exists(PathOf("out/compare.csv")));
    }

    [Fact]
    public async Task Compare_RulesAgainstOneModel_ScoresTheSampleWithBoth()
    {
        var result = await Compare("--source", WriteCsv(6), "--sample", "6", "--scorer", "rules", "--model", ModelA, "--out", PathOf("out/compare.jsonl"));

        Assert.True(result.ExitCode == ExitCodes.Success, result.Stdout + result.Stderr);
        Assert.Contains("side A: rules", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("paired: 6, unpaired: 0", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(6, File.ReadAllLines(PathOf("out/compare.jsonl")).Count(l => l.Length > 0));
        Assert.Equal(6, _fake.ScoringRequests.Count());
    }

    [Theory]
    [InlineData(new[] { "--model", ModelA }, "exactly two sides")]
    [InlineData(new[] { "--model", ModelA, "--model", ModelB, "--model", "gemini-3.5-flash" }, "got 3 --model")]
    [InlineData(new[] { "--model", ModelA, "--model", ModelB, "--sample", "0" }, "--sample '0' must be a whole number between 1 and 100,000")]
    public async Task Compare_BadOptions_ExitTwoWithOneClearLine(string[] args, string expected)
    {
        var result = await Compare(["--source", WriteCsv(3), .. args]);

        Assert.Equal(ExitCodes.BadConfiguration, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal(0, _fake.GenerateCalls);
    }

    private static string Id(int i) => $"acc-{i:D2}";

    private static int Intent(int i) => (i * 7) % 101;

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>A bad row (no account id) first, then accounts 1..count.</summary>
    private string WriteCsv(int count)
    {
        var path = PathOf("in.csv");
        var rows = new[] { 0 }.Concat(Enumerable.Range(1, count)).Select(i =>
            $"{(i == 0 ? "" : Id(i))},Acme {i},acme{i}.com,Software,DE,customer,a@x.com,250,1000000.5,50000,2,80000,2026-11-20T10:00:00Z,2026-11-10,2027-01-15,40,{Intent(i).ToString(CultureInfo.InvariantCulture)},\"[\"\"crm\"\"]\",-0.2,3,\"ok\",2026-11-27");
        File.WriteAllText(path, Header + "\n" + string.Join("\n", rows) + "\n");
        return path;
    }

    private async Task<CliResult> Compare(params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["VERTEX_AI_EMULATOR_HOST"] = _fake.HostPort,
            ["GOOGLE_CLOUD_PROJECT"] = "acme-sales",
            ["SALESINTEL_RPM"] = "600000",
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var stop = new StopSignal();
        string[] all = ["compare", "--date", "2026-11-27", "--out", PathOf("out/compare.csv"), .. args];
        var code = await CommandDispatcher.MainAsync(all, name => environment.GetValueOrDefault(name), TimeProvider.System, stdout, stderr, stop).WaitAsync(TimeSpan.FromSeconds(60));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

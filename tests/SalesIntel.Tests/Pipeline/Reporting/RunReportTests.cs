using System.Globalization;
using System.Text.RegularExpressions;
using SalesIntel.Pipeline.Hosting;
using SalesIntel.Pipeline.Reporting;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Reporting;

/// <summary>The HTML run report: its figures are the summary's and the tally's, and every text from data is encoded.</summary>
public sealed partial class RunReportTests
{
    /// <summary>A Gemini-like run with carry-forward, two dead-letter reasons (one of them hostile markup) and latency.</summary>
    internal static (RunSummary Summary, RunReportTally Tally) SampleRun()
    {
        var tally = new RunReportTally();
        int[] scores = [3, 15, 15, 42, 55, 61, 79, 80, 95, 100, 100, 88];
        tally.Add(scores.Select((s, i) => TestRecommendations.Make($"acc-{i}", s)).ToList());
        var summary = new RunSummary
        {
            RunId = "run-<7>",
            Status = RunStatus.Completed,
            ExitCode = 4,
            Source = "in.csv \"quoted\" & <b>bold</b>",
            Sink = "out/recs.csv (CSV)",
            Scorer = "gemini",
            Dates = "2026-11-27",
            Read = 15,
            Scored = 12,
            Written = 12,
            DeadLettered = 3,
            DeadLetterReasons = new Dictionary<string, long> { ["decode_error"] = 2, ["<script>alert(1)</script>"] = 1 },
            ScorerMetrics = new Dictionary<string, object?>
            {
                ["llm_tokens_in"] = 12_345L,
                ["llm_tokens_out"] = 678L,
                ["llm_tokens_think"] = 0L,
                ["llm_tokens_cached"] = 4_000L,
                ["llm_p50_ms"] = 420L,
                ["llm_p95_ms"] = 1_250L,
                ["llm_cost_usd"] = 0.012345m,
                ["carried_forward"] = 9L,
            },
        };
        return (summary, tally);
    }

    /// <summary>The bars of one chart as label to value, read back from the page's data attributes.</summary>
    internal static Dictionary<string, double> Bars(string html, string chart)
    {
        var section = SectionPattern().Matches(html).Single(m => m.Groups["id"].Value == chart).Value;
        return BarPattern().Matches(section).ToDictionary(
            m => System.Net.WebUtility.HtmlDecode(m.Groups["label"].Value),
            m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ToHtml_ScoreHistogram_HoldsTheTallyInTenBins()
    {
        var (summary, tally) = SampleRun();
        var bars = Bars(RunReport.ToHtml(summary, tally), "score-histogram");
        Assert.Equal(10, bars.Count);
        Assert.Equal(new double[] { 1, 2, 0, 0, 1, 1, 1, 1, 2, 3 }, bars.Values);
        Assert.Equal(3, bars["90-100"]);
        Assert.Equal(tally.ScoreBins.Select(b => (double)b), bars.Values);
    }

    [Fact]
    public void ToHtml_TierDistribution_HoldsTheTierCounts()
    {
        var (summary, tally) = SampleRun();
        var bars = Bars(RunReport.ToHtml(summary, tally), "tier-distribution");
        Assert.Equal(new Dictionary<string, double> { ["A"] = 5, ["B"] = 2, ["C"] = 2, ["D"] = 3 }, bars);
        Assert.Equal(summary.Written, (long)bars.Values.Sum());
    }

    [Fact]
    public void ToHtml_CarryForward_ShowsTheCarriedShareOfTheWrittenRows()
    {
        var (summary, tally) = SampleRun();
        var html = RunReport.ToHtml(summary, tally);
        Assert.Contains("data-chart=\"carry-forward\" data-carried=\"9\" data-written=\"12\" data-share=\"0.75\"", html, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, double> { ["carried"] = 9, ["scored afresh"] = 3 }, Bars(html, "carry-forward"));
        Assert.Contains("75.0%", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_DeadLettersTokensAndLatency_AreTheSummaryFigures()
    {
        var (summary, tally) = SampleRun();
        var html = RunReport.ToHtml(summary, tally);
        Assert.Equal(new Dictionary<string, double> { ["decode_error"] = 2, ["<script>alert(1)</script>"] = 1 }, Bars(html, "dead-letters"));
        Assert.Equal(new Dictionary<string, double> { ["in"] = 12_345, ["out"] = 678, ["thinking"] = 0, ["cached"] = 4_000 }, Bars(html, "tokens"));
        Assert.Equal(new Dictionary<string, double> { ["p50"] = 420, ["p95"] = 1_250 }, Bars(html, "latency"));
        Assert.Contains("estimated cost: ~$0.0123", html, StringComparison.Ordinal);
        Assert.Contains("<td data-field=\"read\">15</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_TextFromData_IsHtmlEncoded()
    {
        var (summary, tally) = SampleRun();
        var html = RunReport.ToHtml(summary with { Error = "bad </td><img src=x onerror=alert(1)>" }, tally);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("in.csv &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<title>SalesIntel run run-&lt;7&gt;</title>", html, StringComparison.Ordinal);

        // The page's only script is our own loaded-marker.
        Assert.Single(Regex.Matches(html, "<script", RegexOptions.IgnoreCase));
    }

    [Fact]
    public void ToHtml_IsSelfContained()
    {
        var (summary, tally) = SampleRun();
        var html = RunReport.ToHtml(summary, tally);
        Assert.DoesNotMatch("(src|href)\\s*=", html);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_RulesRunWithoutMetrics_SaysWhatIsAbsentInsteadOfDrawingZeros()
    {
        var (summary, _) = SampleRun();
        var html = RunReport.ToHtml(summary with { ScorerMetrics = null, DeadLetterReasons = new Dictionary<string, long>() }, tally: null);
        foreach (var chart in new[] { "score-histogram", "tier-distribution", "carry-forward", "dead-letters", "tokens", "latency" })
        {
            Assert.Contains($"<section data-chart=\"{chart}\" data-empty=\"true\">", html, StringComparison.Ordinal);
        }

        Assert.Contains("carry-forward was off for this run", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_WritesThePageAndLeavesNoTemporaryFile()
    {
        var dir = Directory.CreateTempSubdirectory("salesintel-report-").FullName;
        try
        {
            var (summary, tally) = SampleRun();
            var path = Path.Combine(dir, "sub", "report.html");
            await RunReport.WriteAsync(path, summary, tally);
            Assert.Equal(RunReport.ToHtml(summary, tally), await File.ReadAllTextAsync(path));
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex("<section data-chart=\"(?<id>[a-z-]+)\"[^>]*>.*?</section>", RegexOptions.Singleline)]
    private static partial Regex SectionPattern();

    [GeneratedRegex("<rect [^>]*data-label=\"(?<label>[^\"]*)\" data-value=\"(?<value>[0-9.]+)\"")]
    private static partial Regex BarPattern();
}

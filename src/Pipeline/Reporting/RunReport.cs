using System.Globalization;
using System.Text;
using System.Text.Json;
using static SalesIntel.Pipeline.Reporting.ReportHtml;

namespace SalesIntel.Pipeline.Reporting;

/// <summary>
/// The run report of <c>--report PATH.html</c>: one self-contained HTML page (inline CSS and SVG, no external
/// scripts, fonts or styles) drawn from the run summary and the tally of written recommendations. Every chart is a
/// <c>section[data-chart]</c> whose bars carry <c>data-label</c> / <c>data-value</c> and print the same figure as
/// text, so a test or a person can read the numbers without the picture. Every text from data is HTML-encoded.
/// </summary>
public static class RunReport
{
    /// <summary>Writes the page next to <paramref name="path"/> and moves it into place, so a reader never sees half a page.</summary>
    public static async Task WriteAsync(string path, RunSummary summary, RunReportTally? tally, CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, ToHtml(summary, tally), Encoding.UTF8, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The page.</summary>
    public static string ToHtml(RunSummary summary, RunReportTally? tally)
    {
        var h = new StringBuilder();
        Begin(h, $"SalesIntel run {summary.RunId}");
        h.Append(CultureInfo.InvariantCulture, $"<h1>Run {E(summary.RunId)}: <span data-field=\"status\">{E(Lower(summary.Status.ToString()))}</span> (exit {summary.ExitCode})</h1>\n");
        Overview(h, summary);
        ScoreHistogram(h, tally);
        TierDistribution(h, tally);
        CarryForward(h, summary);
        DeadLetters(h, summary);
        TokensAndCost(h, summary.ScorerMetrics);
        Latency(h, summary.ScorerMetrics);

        End(h);
        return h.ToString();
    }

    private static void Overview(StringBuilder h, RunSummary s)
    {
        h.Append("<table id=\"overview\">\n");
        void Row(string field, string name, string value) =>
            h.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(name)}</th><td data-field=\"{E(field)}\">{E(value)}</td></tr>\n");
        Row("source", "source", s.Source);
        Row("dates", "dates", s.Dates);
        Row("scorer", "scorer", s.Scorer);
        Row("sink", "sink", s.Sink);
        Row("read", "read", N(s.Read));
        Row("scored", "scored", N(s.Scored));
        Row("written", "written", N(s.Written));
        Row("skipped", "skipped", N(s.Skipped));
        Row("dead_lettered", "dead-lettered", N(s.DeadLettered));
        if (s.Abandoned != 0)
        {
            Row("abandoned", "abandoned", N(s.Abandoned));
        }

        Row("elapsed_seconds", "elapsed", s.ElapsedSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s");
        Row("output", "output", s.Output ?? "(nothing published)");
        if (s.Error is not null)
        {
            Row("error", "error", s.Error);
        }

        h.Append("</table>\n");
    }

    private static void ScoreHistogram(StringBuilder h, RunReportTally? tally)
    {
        if (tally is null)
        {
            None(h, "score-histogram", "Score histogram", "not collected");
            return;
        }

        var bins = tally.ScoreBins;
        var bars = bins.Select((n, i) => new Bar(i == 9 ? "90-100" : $"{i * 10}-{i * 10 + 9}", n, N(n))).ToList();
        Chart(h, "score-histogram", "Score histogram (recommendations written)", bars);
    }

    private static void TierDistribution(StringBuilder h, RunReportTally? tally)
    {
        if (tally is null)
        {
            None(h, "tier-distribution", "Tier distribution", "not collected");
            return;
        }

        var bars = tally.TierCounts.Select(kv => new Bar(kv.Key, kv.Value, N(kv.Value))).ToList();
        Chart(h, "tier-distribution", "Tier distribution (A 80-100, B 60-79, C 40-59, D 0-39)", bars);
    }

    private static void CarryForward(StringBuilder h, RunSummary s)
    {
        if (Number(s.ScorerMetrics, "carried_forward") is not { } carried)
        {
            None(h, "carry-forward", "Carry-forward share", "carry-forward was off for this run");
            return;
        }

        var fresh = Math.Max(0, s.Written - (long)carried);
        var share = s.Written > 0 ? carried / s.Written : 0;
        var text = share.ToString("0.0%", CultureInfo.InvariantCulture);
        h.Append(CultureInfo.InvariantCulture, $"<section data-chart=\"carry-forward\" data-carried=\"{D(carried)}\" data-written=\"{s.Written}\" data-share=\"{D(Math.Round(share, 4))}\">\n");
        h.Append(CultureInfo.InvariantCulture, $"<h2>Carry-forward share: <span class=\"figure\">{text}</span></h2>\n");
        const int Width = ChartWidth - 40;
        var carriedWidth = s.Written > 0 ? Width * Math.Min(1, share) : 0;
        h.Append(CultureInfo.InvariantCulture, $"<svg width=\"{ChartWidth}\" height=\"70\" role=\"img\" aria-label=\"carry-forward share {text}\">");
        h.Append(CultureInfo.InvariantCulture, $"<rect class=\"carried\" x=\"20\" y=\"10\" width=\"{D(carriedWidth)}\" height=\"30\" data-label=\"carried\" data-value=\"{D(carried)}\"/>");
        h.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{D(20 + carriedWidth)}\" y=\"10\" width=\"{D(Width - carriedWidth)}\" height=\"30\" data-label=\"scored afresh\" data-value=\"{fresh}\"/>");
        h.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"20\" y=\"58\">carried {N((long)carried)} of {N(s.Written)} written; scored afresh {N(fresh)}</text></svg>\n</section>\n");
    }

    private static void DeadLetters(StringBuilder h, RunSummary s)
    {
        if (s.DeadLetterReasons.Count == 0)
        {
            None(h, "dead-letters", "Dead letters by reason", "no dead letters");
            return;
        }

        var bars = s.DeadLetterReasons.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new Bar(kv.Key, kv.Value, N(kv.Value))).ToList();
        Chart(h, "dead-letters", "Dead letters by reason", bars);
    }

    private static void TokensAndCost(StringBuilder h, IReadOnlyDictionary<string, object?>? metrics)
    {
        var names = new[] { ("llm_tokens_in", "in"), ("llm_tokens_out", "out"), ("llm_tokens_think", "thinking"), ("llm_tokens_cached", "cached") };
        var bars = names.Where(n => Number(metrics, n.Item1) is not null)
            .Select(n => new Bar(n.Item2, Number(metrics, n.Item1)!.Value, N((long)Number(metrics, n.Item1)!.Value))).ToList();
        if (bars.Count == 0)
        {
            None(h, "tokens", "Tokens and cost", "the scorer reported no tokens");
            return;
        }

        var cost = metrics!.GetValueOrDefault("llm_cost_usd");
        var costText = Number(metrics, "llm_cost_usd") is { } usd ? "~$" + usd.ToString("0.0000", CultureInfo.InvariantCulture) : Text(cost) ?? "unknown";
        var saved = Number(metrics, "llm_cost_saved_usd") is { } s ? $"; ~${s.ToString("0.0000", CultureInfo.InvariantCulture)} saved by carry-forward" : "";
        Chart(h, "tokens", "Tokens", bars, $"<p data-field=\"cost\">estimated cost: {E(costText + saved)}</p>\n");
    }

    private static void Latency(StringBuilder h, IReadOnlyDictionary<string, object?>? metrics)
    {
        var bars = new[] { ("llm_p50_ms", "p50"), ("llm_p95_ms", "p95") }
            .Where(n => Number(metrics, n.Item1) is not null)
            .Select(n => new Bar(n.Item2, Number(metrics, n.Item1)!.Value, D(Number(metrics, n.Item1)!.Value) + " ms")).ToList();
        if (bars.Count == 0)
        {
            None(h, "latency", "Latency percentiles", "the scorer reported no latency");
            return;
        }

        Chart(h, "latency", "Model call latency percentiles (ms)", bars);
    }

    /// <summary>A metric as a number: in-process values are CLR numbers; a summary read back from JSON holds JsonElements.</summary>
    private static double? Number(IReadOnlyDictionary<string, object?>? metrics, string key) => metrics?.GetValueOrDefault(key) switch
    {
        null or string or bool => null,
        JsonElement { ValueKind: JsonValueKind.Number } j => j.GetDouble(),
        JsonElement => null,
        IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string? Text(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

    private static string Lower(string s) => s.ToLowerInvariant();

}

using System.Globalization;
using System.Text;
using static SalesIntel.Pipeline.Reporting.ReportHtml;

namespace SalesIntel.Pipeline.Compare;

/// <summary>
/// The page of <c>salesintel compare --report PATH.html</c>: one self-contained HTML page (inline SVG, no external
/// scripts, fonts or styles) with the overview, the tier confusion matrix, the histogram of score differences and each
/// side's tokens and latency. As in the run report, every chart is a <c>section[data-chart]</c> whose cells carry
/// <c>data-label</c> / <c>data-value</c>, so a test or a person can read the figures without the picture.
/// </summary>
internal static class CompareReport
{
    private const int Cell = 56;
    private const int Margin = 48;

    /// <summary>Writes the page beside <paramref name="path"/> and moves it into place, so a reader never sees half of it.</summary>
    public static async Task WriteAsync(string path, IReadOnlyList<CompareSideFigures> sides, CompareStatistics stats, int accounts, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, ToHtml(sides, stats, accounts), new UTF8Encoding(false), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The page.</summary>
    public static string ToHtml(IReadOnlyList<CompareSideFigures> sides, CompareStatistics stats, int accounts)
    {
        var h = new StringBuilder();
        Begin(h, $"SalesIntel compare: {string.Join(" vs ", sides.Select(s => s.Description))}");
        h.Append("<h1>Compare</h1>\n<table id=\"overview\">\n");
        foreach (var side in sides)
        {
            Row(h, $"side-{side.Label}", $"side {side.Label}", side.Description);
        }

        Row(h, "sample", "sample", N(accounts));
        Row(h, "paired", "paired", N(stats.Paired));
        Row(h, "unpaired", "unpaired", N(stats.Unpaired));
        Row(h, "agreement", "agreement", (stats.AgreementRate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%");
        Row(h, "mean-absolute-difference", "mean absolute score difference", stats.MeanAbsoluteDifference.ToString("0.00", CultureInfo.InvariantCulture));
        foreach (var side in sides)
        {
            Row(h, $"cost-{side.Label}", $"cost per 1,000 accounts, side {side.Label}", side.CostPer1000);
        }

        h.Append("</table>\n");
        Matrix(h, stats);
        Chart(h, "score-difference", "Score difference (B minus A)", [.. CompareStatistics.DifferenceBinLabels.Select((label, i) => new Bar(label, stats.DifferenceBins[i], N(stats.DifferenceBins[i])))]);
        Chart(h, "tokens", "Tokens per side", [.. sides.SelectMany(s => new[]
        {
            new Bar($"{s.Label} in", s.InputTokens, N(s.InputTokens)),
            new Bar($"{s.Label} out", s.OutputTokens, N(s.OutputTokens)),
            new Bar($"{s.Label} thinking", s.ThinkingTokens, N(s.ThinkingTokens)),
        })]);
        var latency = sides.SelectMany(s => new[] { ("p50", s.P50), ("p90", s.P90), ("p99", s.P99) }
            .Where(p => p.Item2 is not null)
            .Select(p => new Bar($"{s.Label} {p.Item1}", p.Item2!.Value, N(p.Item2!.Value) + " ms"))).ToList();
        if (latency.Count == 0)
        {
            None(h, "latency", "Latency per side", "no side scored an account");
        }
        else
        {
            Chart(h, "latency", "Latency per side", latency);
        }

        End(h);
        return h.ToString();
    }

    /// <summary>The 4x4 tier matrix as a grid: rows side A, columns side B, each cell shaded by its share of the largest.</summary>
    private static void Matrix(StringBuilder h, CompareStatistics stats)
    {
        var tiers = CompareStatistics.TierOrder;
        var max = Math.Max(1, tiers.Max(a => tiers.Max(b => stats.Cell(a, b))));
        var size = Margin + (tiers.Count * Cell) + 8;
        h.Append(CultureInfo.InvariantCulture, $"<section data-chart=\"tier-matrix\" data-total=\"{stats.Paired}\">\n<h2>Tiers: rows side A, columns side B</h2>\n");
        h.Append(CultureInfo.InvariantCulture, $"<svg width=\"{size}\" height=\"{size}\" role=\"img\" aria-label=\"tier confusion matrix\">");
        for (var i = 0; i < tiers.Count; i++)
        {
            h.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{Margin + (i * Cell) + (Cell / 2)}\" y=\"{Margin - 10}\" text-anchor=\"middle\">B:{tiers[i]}</text>");
            h.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{Margin - 10}\" y=\"{Margin + (i * Cell) + (Cell / 2) + 4}\" text-anchor=\"end\">A:{tiers[i]}</text>");
        }

        for (var row = 0; row < tiers.Count; row++)
        {
            for (var column = 0; column < tiers.Count; column++)
            {
                var count = stats.Cell(tiers[row], tiers[column]);
                var label = $"A:{tiers[row]} B:{tiers[column]}";
                var x = Margin + (column * Cell);
                var y = Margin + (row * Cell);
                var opacity = 0.08 + (0.92 * count / max);
                h.Append(CultureInfo.InvariantCulture, $"<g><rect class=\"cell\" x=\"{x}\" y=\"{y}\" width=\"{Cell - 2}\" height=\"{Cell - 2}\" fill-opacity=\"{D(opacity)}\" data-label=\"{label}\" data-value=\"{count}\"><title>{label}: {N(count)}</title></rect>");
                h.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{x + (Cell / 2)}\" y=\"{y + (Cell / 2) + 4}\" text-anchor=\"middle\">{N(count)}</text></g>");
            }
        }

        h.Append("</svg>\n</section>\n");
    }

    private static void Row(StringBuilder h, string field, string name, string value) =>
        h.Append(CultureInfo.InvariantCulture, $"<tr><th>{E(name)}</th><td data-field=\"{field}\">{E(value)}</td></tr>\n");
}

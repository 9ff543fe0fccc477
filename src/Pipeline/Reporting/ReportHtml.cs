using System.Globalization;
using System.Net;
using System.Text;

namespace SalesIntel.Pipeline.Reporting;

/// <summary>
/// The parts the HTML pages share (the run report, the compare report): a self-contained head whose
/// Content-Security-Policy refuses any fetch, and bar charts as inline SVG whose bars carry <c>data-label</c> /
/// <c>data-value</c> and print the same figure as text. Every text from data goes through <see cref="E"/>.
/// </summary>
internal static class ReportHtml
{
    public const int ChartWidth = 640;
    public const int ChartHeight = 220;
    public const int PlotTop = 24;
    public const int PlotBottom = 180;

    /// <summary>Opens the page: doctype, head with the policy and the shared style, body.</summary>
    public static void Begin(StringBuilder h, string title)
    {
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");

        // The policy makes "self-contained" enforceable: the browser refuses (and logs) any fetch the page might try.
        h.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n");
        h.Append(CultureInfo.InvariantCulture, $"<title>{E(title)}</title>\n");
        h.Append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:2px 12px 2px 0;text-align:left;vertical-align:top}"
            + "section{margin:2em 0}svg{background:#fafafa;border:1px solid #ddd}.bar{fill:#4a78b5}.carried{fill:#9bb7dc}.value,.label{font-size:11px}.none{color:#777}.cell{fill:#4a78b5}</style>\n");
        h.Append("</head>\n<body>\n");
    }

    /// <summary>Closes the page; its one script marks it loaded (with the number of charts) for a headless browser.</summary>
    public static void End(StringBuilder h)
    {
        // Optional: the page reads the same without scripts.
        h.Append("<script>document.documentElement.setAttribute('data-report-loaded', String(document.querySelectorAll('section[data-chart]').length));</script>\n");
        h.Append("</body>\n</html>\n");
    }

    public static void None(StringBuilder h, string id, string title, string why) =>
        h.Append(CultureInfo.InvariantCulture, $"<section data-chart=\"{id}\" data-empty=\"true\"><h2>{E(title)}</h2><p class=\"none\">{E(why)}</p></section>\n");

    public static void Chart(StringBuilder h, string id, string title, IReadOnlyList<Bar> bars, string? after = null)
    {
        var total = bars.Sum(b => b.Value);
        h.Append(CultureInfo.InvariantCulture, $"<section data-chart=\"{id}\" data-total=\"{D(total)}\">\n<h2>{E(title)}</h2>\n");
        h.Append(CultureInfo.InvariantCulture, $"<svg width=\"{ChartWidth}\" height=\"{ChartHeight}\" role=\"img\" aria-label=\"{E(title)}\">");
        var max = Math.Max(1, bars.Count == 0 ? 0 : bars.Max(b => b.Value));
        var slot = (ChartWidth - 40.0) / Math.Max(1, bars.Count);
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var height = (PlotBottom - PlotTop) * b.Value / max;
            var x = 20 + (i * slot) + (slot * 0.1);
            var center = x + (slot * 0.4);
            h.Append(CultureInfo.InvariantCulture, $"<g><rect class=\"bar\" x=\"{D(x)}\" y=\"{D(PlotBottom - height)}\" width=\"{D(slot * 0.8)}\" height=\"{D(height)}\" data-label=\"{E(b.Label)}\" data-value=\"{D(b.Value)}\"><title>{E(b.Label)}: {E(b.Text)}</title></rect>");
            h.Append(CultureInfo.InvariantCulture, $"<text class=\"value\" x=\"{D(center)}\" y=\"{D(PlotBottom - height - 4)}\" text-anchor=\"middle\">{E(b.Text)}</text>");
            h.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"{D(center)}\" y=\"{PlotBottom + 16}\" text-anchor=\"middle\">{E(b.Label)}</text></g>");
        }

        h.Append("</svg>\n").Append(after).Append("</section>\n");
    }

    public static string E(string text) => WebUtility.HtmlEncode(text);

    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string D(double d) => d.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>One bar: its label, its height and the figure printed on it.</summary>
    public readonly record struct Bar(string Label, double Value, string Text);
}

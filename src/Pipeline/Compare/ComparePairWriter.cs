using System.Globalization;
using System.Text;
using System.Text.Json;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Formats;

namespace SalesIntel.Pipeline.Compare;

/// <summary>
/// Writes the paired rows of <c>salesintel compare</c> (account_id, tier_a, tier_b, score_a, score_b, rationale_a,
/// rationale_b) as CSV or JSON Lines, chosen by the extension. The file is written beside its path and moved into
/// place, so a reader never sees half of it; CSV text cells get the same formula guard as the CSV sink.
/// </summary>
public static class ComparePairWriter
{
    /// <summary>The columns, in file order.</summary>
    public static readonly IReadOnlyList<string> Columns = ["account_id", "tier_a", "tier_b", "score_a", "score_b", "rationale_a", "rationale_b"];

    /// <summary>Writes <paramref name="pairs"/> to <paramref name="path"/> (.csv, or .jsonl / .json for JSON Lines).</summary>
    public static async Task WriteAsync(string path, IEnumerable<ComparedPair> pairs, bool guardCsvFormulas, CancellationToken cancellationToken = default)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        var text = extension switch
        {
            ".csv" => ToCsv(pairs, guardCsvFormulas),
            ".jsonl" or ".json" => ToJsonLines(pairs),
            _ => throw new ConfigurationException($"--out '{path}' must end in .csv or .jsonl: the extension picks the format"),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text, new UTF8Encoding(false), cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The CSV text: a header line, then one line per pair; an unscored side's cells are empty.</summary>
    internal static string ToCsv(IEnumerable<ComparedPair> pairs, bool guardCsvFormulas)
    {
        var csv = new StringBuilder().Append(string.Join(',', Columns)).Append('\n');
        foreach (var p in pairs)
        {
            string?[] cells = [p.AccountId, p.TierA, p.TierB, Number(p.ScoreA), Number(p.ScoreB), p.RationaleA, p.RationaleB];
            csv.Append(string.Join(',', cells.Select((c, i) => Cell(c, guardCsvFormulas && i is 0 or 5 or 6)))).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The JSON Lines text; an unscored side's fields are null.</summary>
    internal static string ToJsonLines(IEnumerable<ComparedPair> pairs)
    {
        var lines = new StringBuilder();
        foreach (var p in pairs)
        {
            lines.Append(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["account_id"] = p.AccountId,
                ["tier_a"] = p.TierA,
                ["tier_b"] = p.TierB,
                ["score_a"] = p.ScoreA,
                ["score_b"] = p.ScoreB,
                ["rationale_a"] = p.RationaleA,
                ["rationale_b"] = p.RationaleB,
            })).Append('\n');
        }

        return lines.ToString();
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Cell(string? value, bool guard)
    {
        if (value is null)
        {
            return "";
        }

        var text = guard ? CsvFormulaGuard.Guard(value) : value;
        return text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}

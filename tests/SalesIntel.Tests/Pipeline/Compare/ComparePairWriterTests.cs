using System.Text.Json;
using SalesIntel.Pipeline.Compare;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Tests.Pipeline.Compare;

/// <summary>The paired-rows file of compare: CSV or JSON Lines by extension, one row per pair.</summary>
public sealed class ComparePairWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-compare-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly ComparedPair[] Pairs =
    [
        new("acc-1", "A", "B", 85, 70, "Strong intent, \"hot\" lead", "Good, but slowing"),
        new("acc-2", "C", null, 45, null, "=HYPERLINK(\"x\")", null),
    ];

    [Fact]
    public async Task WriteAsync_Csv_HeaderThenOneQuotedGuardedLinePerPair()
    {
        var path = Path.Combine(_dir, "out", "compare.csv");

        await ComparePairWriter.WriteAsync(path, Pairs, guardCsvFormulas: true);

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(["account_id,tier_a,tier_b,score_a,score_b,rationale_a,rationale_b",
            "acc-1,A,B,85,70,\"Strong intent, \"\"hot\"\" lead\",\"Good, but slowing\"",
            "acc-2,C,,45,,\"'=HYPERLINK(\"\"x\"\")\",",], lines);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task WriteAsync_JsonLines_OneObjectPerPairWithNullsForTheUnscoredSide()
    {
        var path = Path.Combine(_dir, "compare.jsonl");

        await ComparePairWriter.WriteAsync(path, Pairs, guardCsvFormulas: true);

        var rows = (await File.ReadAllLinesAsync(path)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(70, rows[0].GetProperty("score_b").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("tier_b").ValueKind);
        Assert.Equal("=HYPERLINK(\"x\")", rows[1].GetProperty("rationale_a").GetString()); // JSON is data: no guard
        Assert.Equal(ComparePairWriter.Columns, rows[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task WriteAsync_UnknownExtension_ConfigurationErrorNamingTheOption()
    {
        var e = await Assert.ThrowsAsync<ConfigurationException>(() => ComparePairWriter.WriteAsync(Path.Combine(_dir, "compare.txt"), Pairs, true));

        Assert.Contains("--out", e.Message, StringComparison.Ordinal);
    }
}

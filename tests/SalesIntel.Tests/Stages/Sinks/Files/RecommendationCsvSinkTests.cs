using System.Text.Json;
using Microsoft.VisualBasic.FileIO;
using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.Files;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Sinks.Files;

public sealed class RecommendationCsvSinkTests : RecommendationSinkContractTests
{
    protected override string Extension => ".csv";

    protected override IRecommendationSink Create(string path) => new RecommendationCsvSink(path);

    protected override IReadOnlyList<(string AccountId, long Score, string Rationale, string[] Actions, long? InputTokens)> ReadBack(string path)
    {
        using var parser = new TextFieldParser(path) { HasFieldsEnclosedInQuotes = true, TextFieldType = FieldType.Delimited };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!;
        Assert.Equal(RecommendationsTable.Schema.Fields.Select(f => f.Name), header);
        var rows = new List<(string, long, string, string[], long?)>();
        while (parser.ReadFields() is { } f)
        {
            rows.Add((f[0], long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[4], JsonSerializer.Deserialize<string[]>(f[5])!,
                f[14].Length == 0 ? null : long.Parse(f[14], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static Recommendation Hostile(string accountId) => TestRecommendations.Make(accountId) with
    {
        Rationale = "=HYPERLINK(\"http://evil.example\",\"click\")",
        RunId = "@run",
        MaterialHash = "0123456789abcdef0123456789abcdef",
    };

    private async Task<string> WriteAsync(string name, bool guardFormulas, params Recommendation[] rows)
    {
        var path = Path.Combine(Folder, name + ".csv");
        await using var sink = new RecommendationCsvSink(path, guardFormulas);
        await sink.PreflightAsync(CancellationToken.None);
        await sink.WriteAsync(rows, CancellationToken.None);
        await sink.CompleteAsync(CancellationToken.None);
        return path;
    }

    private static string[] DataRow(string path)
    {
        using var parser = new TextFieldParser(path) { HasFieldsEnclosedInQuotes = true, TextFieldType = FieldType.Delimited };
        parser.SetDelimiters(",");
        parser.ReadFields();
        return parser.ReadFields()!;
    }

    [Fact]
    public async Task FormulaGuard_On_WritesFormulaLikeTextCellsAsText_AndLeavesNumbersAlone()
    {
        var row = DataRow(await WriteAsync("guarded", true, Hostile("-17")));
        Assert.Equal("'-17", row[0]);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", row[4]);
        Assert.Equal("'@run", row[11]);
        Assert.Equal("72", row[2]);
        Assert.Equal("0.85", row[6]);
        Assert.Equal("rules", row[7]);
    }

    [Fact]
    public async Task FormulaGuard_Off_WritesValuesAsTheyAre()
    {
        var row = DataRow(await WriteAsync("raw", false, Hostile("-17")));
        Assert.Equal("-17", row[0]);
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"click\")", row[4]);
        Assert.Equal("@run", row[11]);
    }

    [Fact]
    public async Task FormulaGuard_IsUndoneWhenCarryForwardReadsTheFileBack()
    {
        // A carried row is rewritten from yesterday's file every night; it must come back as scored, not gain an
        // apostrophe per night.
        var path = await WriteAsync("previous", true, Hostile("-17"), Hostile("'=already-quoted"));
        using var index = await PreviousRecommendations.LoadFileAsync(path, DateRange.All, CancellationToken.None);
        Assert.True(index.TryFind("-17", out var entry));
        var back = index.Read(entry);
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"click\")", back.Rationale);
        Assert.True(index.TryFind("'=already-quoted", out var quoted));
        Assert.Equal("'=already-quoted", index.Read(quoted).AccountId);
    }
}

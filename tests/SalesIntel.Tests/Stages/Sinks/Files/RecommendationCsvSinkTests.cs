using System.Text.Json;
using Microsoft.VisualBasic.FileIO;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.Files;

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
}

using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Tests.Stages.Sources.Files;

public sealed class FileFormatsTests
{
    [Theory]
    [InlineData("a.csv", FileFormat.Csv)]
    [InlineData("dir/A.CSV", FileFormat.Csv)]
    [InlineData("a.jsonl", FileFormat.JsonLines)]
    [InlineData("a.ndjson", FileFormat.JsonLines)]
    [InlineData("a.json", FileFormat.JsonLines)]
    [InlineData("a.arrow", FileFormat.ArrowFile)]
    [InlineData("a.feather", FileFormat.ArrowFile)]
    [InlineData("a.ipc", FileFormat.ArrowFile)]
    [InlineData("a.arrows", FileFormat.ArrowStream)]
    public void FromPath_KnownExtension_GivesItsFormat(string path, FileFormat expected) =>
        Assert.Equal(expected, FileFormats.FromPath(path));

    [Theory]
    [InlineData("accounts.txt", "the extension '.txt'")]
    [InlineData("accounts", "no extension")]
    [InlineData("accounts.csv.gz", "the extension '.gz'")]
    public void FromPath_UnknownExtension_ListsTheKnownOnesAndTheOverride(string path, string named)
    {
        var e = Assert.Throws<ConfigurationException>(() => FileFormats.FromPath(path));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains(".csv, .jsonl, .ndjson, .json, .arrow, .feather, .ipc, .arrows", e.Message, StringComparison.Ordinal);
        Assert.Contains("--source-format / --sink-format", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("csv", FileFormat.Csv)]
    [InlineData("JSONL", FileFormat.JsonLines)]
    [InlineData("arrow", FileFormat.ArrowFile)]
    [InlineData("arrows", FileFormat.ArrowStream)]
    [InlineData(".ndjson", FileFormat.JsonLines)]
    public void TryParse_KnownName_GivesItsFormat(string name, FileFormat expected)
    {
        Assert.True(FileFormats.TryParse(name, out var format));
        Assert.Equal(expected, format);
    }

    [Theory]
    [InlineData("parquet")]
    [InlineData("")]
    public void TryParse_UnknownName_IsFalse(string name) => Assert.False(FileFormats.TryParse(name, out _));

    [Fact]
    public void Open_BadOptions_OneMessageNamingEveryBadValue()
    {
        var e = Assert.Throws<ConfigurationException>(() => FileSources.Open(new FileSourceOptions(" ", FileFormat.Csv, BatchSize: 0)));

        Assert.Contains("--source is empty", e.Message, StringComparison.Ordinal);
        Assert.Contains("batch size 0 must be between 1 and 1048576", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_PicksTheSourceByFormat()
    {
        Assert.IsType<CsvAccountSource>(FileSources.Open(new FileSourceOptions("a.csv")));
        Assert.IsType<JsonLinesAccountSource>(FileSources.Open(new FileSourceOptions("a.jsonl")));
        Assert.IsType<ArrowAccountSource>(FileSources.Open(new FileSourceOptions("a.arrows")));
        Assert.IsType<CsvAccountSource>(FileSources.Open(new FileSourceOptions("a.txt", FileFormat.Csv)));
    }
}

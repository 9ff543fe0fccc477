using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Formats;
using SalesIntel.Stages.Sinks.Files;
using SalesIntel.Stages.Sources.Files;

namespace SalesIntel.Tests.Stages.Formats;

public sealed class FileFormatRegistryTests
{
    [Fact]
    public void All_HasOneEntryForEveryFormat()
    {
        Assert.Equal(Enum.GetValues<FileFormat>().Order(), FileFormatRegistry.All.Select(e => e.Format).Order());
        Assert.Equal("csv, jsonl, arrow, arrows", FileFormatRegistry.Names);
    }

    [Fact]
    public void Get_FormatWithoutAnEntry_FailsWithOneLineListingTheKnownFormats()
    {
        var e = Assert.Throws<ConfigurationException>(() => FileFormatRegistry.Get((FileFormat)99));

        Assert.Equal("file format '99' is not known; known formats: csv, jsonl, arrow, arrows.", e.Message);
    }

    [Fact]
    public void CreateSink_FormatWithoutAnEntry_FailsInsteadOfWritingArrow() =>
        Assert.Throws<ConfigurationException>(() => FileFormatRegistry.CreateSink("out/recs.arrows", (FileFormat)99));

    [Fact]
    public void OpenSource_FormatWithoutAnEntry_FailsInsteadOfReadingArrow() =>
        Assert.Throws<ConfigurationException>(() => FileFormatRegistry.OpenSource(new FileSourceOptions("a.arrows", (FileFormat)99)));

    [Theory]
    [InlineData("out/r.csv", typeof(RecommendationCsvSink))]
    [InlineData("out/r.jsonl", typeof(RecommendationJsonLinesSink))]
    [InlineData("out/r.arrow", typeof(RecommendationArrowSink))]
    [InlineData("out/r.arrows", typeof(RecommendationArrowSink))]
    public void CreateSink_ByExtension_BuildsThatFormatsSink(string path, Type expected) =>
        Assert.IsType(expected, FileFormatRegistry.CreateSink(path));

    [Fact]
    public void CreateSink_ExplicitFormat_WinsOverTheExtension()
    {
        var sink = FileFormatRegistry.CreateSink("out/r.txt", FileFormat.ArrowStream);

        Assert.Contains("Arrow IPC stream", sink.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateSink_UnknownExtension_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ConfigurationException>(() => FileFormatRegistry.CreateSink("out/r.parquet"));

        Assert.Contains("known extensions: .csv, .jsonl, .ndjson, .json, .arrow, .feather, .ipc, .arrows", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arrows", FileFormat.ArrowStream)]
    [InlineData(".CSV", FileFormat.Csv)]
    [InlineData(" ndjson ", FileFormat.JsonLines)]
    public void TryParse_NameOrExtension_GivesItsFormat(string name, FileFormat expected)
    {
        Assert.True(FileFormatRegistry.TryParse(name, out var format));
        Assert.Equal(expected, format);
    }
}

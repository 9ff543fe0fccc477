using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Sources.Files;

/// <summary>What every file source promises beyond the source contract (<see cref="AccountSourceContractTests"/>, which covers cancellation), run against each format.</summary>
public abstract class FileSourceContractTests
{
    private static readonly FixtureSpec Spec = new(1200, 5, new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 27));
    private static readonly Lazy<List<string>> Expected = new(() => CanonicalRows(AccountFixtureGenerator.Generate(Spec, 500)));

    protected abstract FileFormat Format { get; }

    protected abstract string Extension { get; }

    [Fact]
    public async Task ReadAsync_AllRowsInOrder_WithDistinctPositions()
    {
        var result = await ReadAllAsync(await WriteAsync());

        Assert.Equal(Expected.Value, result.Rows.Select(r => r.Json));
        Assert.Equal(result.Rows.Count, result.Rows.Select(r => r.Position.Detail).Distinct().Count());
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public async Task OpenAsync_Twice_GivesTheSamePlan_AndItsSchemaIsAccountSignals()
    {
        await using var source = FileSources.Open(new FileSourceOptions(await WriteAsync(), Format));

        var first = await source.OpenAsync(CancellationToken.None);
        var second = await source.OpenAsync(CancellationToken.None);

        Assert.Same(first, second);
        AccountSchemaCheck.Validate(first.Schema, "plan");
        Assert.Contains(FileFormats.DisplayName(Format), first.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WithoutOpen_OpensFirst_AndBatchesMatchThePlanSchema()
    {
        await using var source = FileSources.Open(new FileSourceOptions(await WriteAsync(), Format, BatchSize: 500));
        var rows = 0;

        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            using var data = batch.Rows;
            Assert.True(data.Length <= 500);
            AccountSchemaCheck.Validate(BigQueryArrowTypes.ToTableSchema(data.Schema), "batch");
            rows += data.Length;
        }

        Assert.Equal(Spec.Rows, rows);
    }

    [Fact]
    public async Task OpenAsync_MissingFile_IsASourceException()
    {
        await using var source = FileSources.Open(new FileSourceOptions(Path.Combine(NewTempDir(), "missing" + Extension)));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public async Task OpenAsync_EmptyFile_IsASourceException()
    {
        await using var source = FileSources.Open(new FileSourceOptions(WriteTemp("empty" + Extension, [])));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("is empty, expected", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_BeforeOpenAndTwice_IsHarmless_AndAfterOpenReleasesTheFile()
    {
        var path = await WriteAsync();
        var unopened = FileSources.Open(new FileSourceOptions(path, Format));
        await unopened.DisposeAsync();
        await unopened.DisposeAsync();

        var opened = FileSources.Open(new FileSourceOptions(path, Format));
        await opened.OpenAsync(CancellationToken.None);
        await opened.DisposeAsync();
        await opened.DisposeAsync();

        // Released: nobody holds the file any more, so an exclusive open succeeds.
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Assert.True(exclusive.Length > 0);
    }

    private async Task<string> WriteAsync()
    {
        var path = Path.Combine(NewTempDir(), "accounts" + Extension);
        await AccountFileWriter.WriteAsync(AccountFixtureGenerator.Generate(Spec, 500), AccountFixtureGenerator.ArrowSchema, path, Format, CancellationToken.None);
        return path;
    }
}

public sealed class CsvSourceContractTests : FileSourceContractTests
{
    protected override FileFormat Format => FileFormat.Csv;

    protected override string Extension => ".csv";
}

public sealed class JsonLinesSourceContractTests : FileSourceContractTests
{
    protected override FileFormat Format => FileFormat.JsonLines;

    protected override string Extension => ".jsonl";
}

public sealed class ArrowFileSourceContractTests : FileSourceContractTests
{
    protected override FileFormat Format => FileFormat.ArrowFile;

    protected override string Extension => ".arrow";
}

public sealed class ArrowStreamSourceContractTests : FileSourceContractTests
{
    protected override FileFormat Format => FileFormat.ArrowStream;

    protected override string Extension => ".arrows";
}

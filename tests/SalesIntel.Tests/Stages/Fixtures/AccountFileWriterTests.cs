using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Fixtures;

public sealed class AccountFileWriterTests
{
    private static readonly FixtureSpec Spec = new(3000, 11, new DateOnly(2026, 11, 25), new DateOnly(2026, 11, 27));

    public static TheoryData<FileFormat, string> Formats => new()
    {
        { FileFormat.Csv, "a.csv" },
        { FileFormat.JsonLines, "a.jsonl" },
        { FileFormat.ArrowFile, "a.arrow" },
        { FileFormat.ArrowStream, "a.arrows" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task WriteThenRead_GeneratedAccounts_EveryRowHasTheSameCanonicalJson(FileFormat format, string name)
    {
        var path = Path.Combine(NewTempDir(), name);

        var written = await AccountFileWriter.WriteAsync(AccountFixtureGenerator.Generate(Spec, 1000), AccountFixtureGenerator.ArrowSchema, path, format, CancellationToken.None);
        var result = await ReadAllAsync(path, batchSize: 777);

        Assert.Equal(3000, written);
        Assert.Empty(result.Rejected);
        Assert.Equal(CanonicalRows(AccountFixtureGenerator.Generate(Spec, 1000)), result.Rows.Select(r => r.Json));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task WriteThenRead_EveryTypeFixture_EveryRowHasTheSameCanonicalJson(FileFormat format, string name)
    {
        var path = Path.Combine(NewTempDir(), name);
        var batch = EveryTypeFixture.Build();

        await AccountFileWriter.WriteAsync([batch], batch.Schema, path, format, CancellationToken.None);
        var result = await ReadAllAsync(path, EveryTypeFixture.Schema);

        Assert.Empty(result.Rejected);
        Assert.Equal(CanonicalRows([EveryTypeFixture.Build()]), result.Rows.Select(r => r.Json));
    }

    [Fact]
    public async Task WriteAsync_Cancelled_LeavesNoFileBehind()
    {
        var dir = NewTempDir();
        var path = Path.Combine(dir, "a.csv");
        using var cts = new CancellationTokenSource();

        IEnumerable<Apache.Arrow.RecordBatch> CancelAfterFirst()
        {
            var first = true;
            foreach (var batch in AccountFixtureGenerator.Generate(Spec, 500))
            {
                if (!first)
                {
                    cts.Cancel();
                }

                first = false;
                yield return batch;
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AccountFileWriter.WriteAsync(CancelAfterFirst(), AccountFixtureGenerator.ArrowSchema, path, FileFormat.Csv, cts.Token));

        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public async Task WriteAsync_ReplacesAnEarlierFileOnlyWhenDone()
    {
        var path = Path.Combine(NewTempDir(), "a.jsonl");
        await File.WriteAllTextAsync(path, "old");

        var rows = await AccountFileWriter.WriteAsync(AccountFixtureGenerator.Generate(Spec with { Rows = 10 }), AccountFixtureGenerator.ArrowSchema, path, FileFormat.JsonLines, CancellationToken.None);

        Assert.Equal(10, rows);
        Assert.Equal(10, (await File.ReadAllLinesAsync(path)).Length);
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task WriteAsync_FolderNotWritable_IsASinkErrorNamingThePath()
    {
        var blocker = WriteTemp("not-a-folder", "x");
        var path = Path.Combine(blocker, "a.csv");

        var e = await Assert.ThrowsAsync<SinkException>(() =>
            AccountFileWriter.WriteAsync(AccountFixtureGenerator.Generate(Spec with { Rows = 1 }), AccountFixtureGenerator.ArrowSchema, path, FileFormat.Csv, CancellationToken.None));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_BatchWithOtherColumns_IsRefused()
    {
        var path = Path.Combine(NewTempDir(), "a.csv");

        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            AccountFileWriter.WriteAsync([EveryTypeFixture.Build()], AccountFixtureGenerator.ArrowSchema, path, FileFormat.Csv, CancellationToken.None));

        Assert.Contains("not the declared", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }
}

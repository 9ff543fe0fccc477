using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Sources.Files;
using static SalesIntel.Tests.Stages.Sources.Files.FileTestSupport;

namespace SalesIntel.Tests.Stages.Sources.Files;

public sealed class ArrowAccountSourceTests
{
    private static readonly FixtureSpec Spec = new(2500, 7, new DateOnly(2026, 11, 26), new DateOnly(2026, 11, 27));
    private static readonly FixtureSpec SmallSpec = Spec with { Rows = 300 };

    [Theory]
    [InlineData("accounts.arrow", "Arrow IPC file")]
    [InlineData("accounts.arrows", "Arrow IPC stream")]
    public async Task ReadAsync_GeneratedFile_YieldsBatchesWithBatchAndRowPositions(string name, string kind)
    {
        var path = await WriteGeneratedAsync(name, FileFormats.FromPath(name), batchSize: 1000);

        var result = await ReadAllAsync(path);

        Assert.Equal(2500, result.Rows.Count);
        Assert.Equal(3, result.Batches);
        Assert.EndsWith($"{name} ({kind})", result.Plan.Description, StringComparison.Ordinal);
        Assert.Equal("batch 0 row 0", result.Rows[0].Position.Detail);
        Assert.Equal("batch 2 row 499", result.Rows[^1].Position.Detail);
        Assert.Equal(TestRows(), result.Rows.Select(r => r.Json));
    }

    [Fact]
    public async Task OpenAsync_ArrowFile_EstimatesRowsFromTheFooter()
    {
        var path = await WriteGeneratedAsync("a.arrow", FileFormat.ArrowFile, batchSize: 700);
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var plan = await source.OpenAsync(CancellationToken.None);

        Assert.Equal(2500, plan.EstimatedRows);
        Assert.Equal(new FileInfo(path).Length, plan.EstimatedBytes);
    }

    [Fact]
    public async Task OpenAsync_StreamNamedLikeAFile_IsRecognisedFromItsFirstBytes()
    {
        var path = await WriteGeneratedAsync("really-a-stream.arrow", FileFormat.ArrowStream, batchSize: 1000);

        var result = await ReadAllAsync(path);

        Assert.Contains("(Arrow IPC stream)", result.Plan.Description, StringComparison.Ordinal);
        Assert.Null(result.Plan.EstimatedRows);
        Assert.Equal(2500, result.Rows.Count);
    }

    [Theory]
    [InlineData(CompressionCodecType.Lz4Frame, false)]
    [InlineData(CompressionCodecType.Zstd, false)]
    [InlineData(CompressionCodecType.Zstd, true)]
    public async Task ReadAsync_CompressedIpc_IsDecoded(CompressionCodecType codec, bool stream)
    {
        var path = Path.Combine(NewTempDir(), stream ? "z.arrows" : "z.arrow");
        var options = new IpcOptions { CompressionCodec = codec, CompressionCodecFactory = new CompressionCodecFactory() };
        await using (var file = File.Create(path))
        {
            using ArrowStreamWriter writer = stream
                ? new ArrowStreamWriter(file, AccountFixtureGenerator.ArrowSchema, leaveOpen: true, options)
                : new ArrowFileWriter(file, AccountFixtureGenerator.ArrowSchema, leaveOpen: true, options);
            foreach (var batch in AccountFixtureGenerator.Generate(SmallSpec, 100))
            {
                using (batch)
                {
                    await writer.WriteRecordBatchAsync(batch);
                }
            }

            await writer.WriteEndAsync();
        }

        var result = await ReadAllAsync(path);

        Assert.Equal(CanonicalRows(AccountFixtureGenerator.Generate(SmallSpec, 100)), result.Rows.Select(r => r.Json));
    }

    [Fact]
    public async Task OpenAsync_MissingRequiredColumn_NamesIt()
    {
        var path = WriteArrow(new Schema.Builder().Field(new Field("account_id", StringType.Default, false)).Build(),
            [new StringArray.Builder().Append("acc-1").Build()]);
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("required column 'snapshot_date' (DATE) is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_MistypedColumn_NamesItsTypeAndTheExpectedOne()
    {
        var schema = new Schema.Builder()
            .Field(new Field("account_id", StringType.Default, false))
            .Field(new Field("employee_count", StringType.Default, true))
            .Field(new Field("snapshot_date", Date32Type.Default, false))
            .Build();
        var path = WriteArrow(schema, [
            new StringArray.Builder().Append("acc-1").Build(),
            new StringArray.Builder().Append("12").Build(),
            new Date32Array.Builder().Append(new DateTime(2026, 11, 27)).Build(),
        ]);
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("column 'employee_count' is STRING, expected INT64", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ColumnOfAnArrowTypeBigQueryNeverSends_NamesIt()
    {
        var schema = new Schema.Builder()
            .Field(new Field("account_id", StringType.Default, false))
            .Field(new Field("employee_count", Int32Type.Default, true))
            .Field(new Field("snapshot_date", Date32Type.Default, false))
            .Build();
        var path = WriteArrow(schema, [
            new StringArray.Builder().Append("acc-1").Build(),
            new Int32Array.Builder().Append(12).Build(),
            new Date32Array.Builder().Append(new DateTime(2026, 11, 27)).Build(),
        ]);
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("column 'employee_count' has Arrow type int32, which BigQuery does not send", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_NotAnArrowFile_SaysWhatItStartsWith()
    {
        await using var source = FileSources.Open(new FileSourceOptions(WriteTemp("accounts.arrow", "account_id,snapshot_date\n")));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("is not an Arrow IPC file or stream (it starts with \"account_", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_TruncatedArrowFile_IsAClearError()
    {
        var path = await WriteGeneratedAsync("t.arrow", FileFormat.ArrowFile, batchSize: 1000);
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var e = await Record.ExceptionAsync(async () =>
        {
            await foreach (var batch in source.ReadAsync(CancellationToken.None))
            {
                batch.Rows.Dispose();
            }
        });

        Assert.IsType<SourceException>(e);
        Assert.Contains("t.arrow", e.Message, StringComparison.Ordinal);
    }

    private static List<string> TestRows() => CanonicalRows(AccountFixtureGenerator.Generate(Spec, 1000));

    private static async Task<string> WriteGeneratedAsync(string name, FileFormat format, int batchSize)
    {
        var path = Path.Combine(NewTempDir(), name);
        await AccountFileWriter.WriteAsync(AccountFixtureGenerator.Generate(Spec, batchSize), AccountFixtureGenerator.ArrowSchema, path, format, CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task OpenAsync_ColumnNamedTwice_IsOneCleanLineNamingIt()
    {
        var schema = new Schema.Builder()
            .Field(new Field("account_id", StringType.Default, false))
            .Field(new Field("snapshot_date", Date32Type.Default, false))
            .Field(new Field("Account_Id", StringType.Default, true))
            .Build();
        var path = WriteArrow(schema, [
            new StringArray.Builder().Append("acc-1").Build(),
            new Date32Array.Builder().Append(new DateTime(2026, 11, 27)).Build(),
            new StringArray.Builder().Append("acc-2").Build(),
        ]);
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var e = await Assert.ThrowsAsync<SourceException>(() => source.OpenAsync(CancellationToken.None).AsTask());

        Assert.Contains("column 'Account_Id' appears twice (schema fields 1 and 3)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(3L)]
    [InlineData(1L << 40)]
    [InlineData(-5L)]
    public async Task ReadAsync_Lz4BufferWithAWrongLengthPrefix_IsOneLineNamingTheBatch(long prefix)
    {
        var path = Path.Combine(NewTempDir(), "lz4.arrow");
        var options = new IpcOptions { CompressionCodec = CompressionCodecType.Lz4Frame, CompressionCodecFactory = new CompressionCodecFactory() };
        await using (var file = File.Create(path))
        {
            using var writer = new ArrowFileWriter(file, AccountFixtureGenerator.ArrowSchema, leaveOpen: true, options);
            foreach (var batch in AccountFixtureGenerator.Generate(SmallSpec, 300))
            {
                using (batch)
                {
                    await writer.WriteRecordBatchAsync(batch);
                }
            }

            await writer.WriteEndAsync();
        }

        // Every compressed buffer is an int64 uncompressed length followed by an LZ4 frame (magic 04 22 4D 18):
        // rewrite the length of each so it disagrees with the frame.
        var bytes = await File.ReadAllBytesAsync(path);
        var patched = 0;
        for (var i = 8; i + 4 <= bytes.Length; i++)
        {
            if (bytes[i] == 0x04 && bytes[i + 1] == 0x22 && bytes[i + 2] == 0x4D && bytes[i + 3] == 0x18)
            {
                BitConverter.TryWriteBytes(bytes.AsSpan(i - 8, 8), prefix);
                patched++;
            }
        }

        Assert.True(patched > 0);
        await File.WriteAllBytesAsync(path, bytes);
        await using var source = FileSources.Open(new FileSourceOptions(path));

        var e = await Record.ExceptionAsync(async () =>
        {
            await foreach (var batch in source.ReadAsync(CancellationToken.None))
            {
                CanonicalRows([batch.Rows]);
            }
        });

        Assert.True(e is SourceException, e?.ToString());
        var error = (SourceException)e!;
        Assert.Contains("lz4.arrow: record batch 0 cannot be read", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static string WriteArrow(Schema schema, IArrowArray[] columns)
    {
        var path = Path.Combine(NewTempDir(), "bad.arrow");
        using var file = File.Create(path);
        using var writer = new ArrowFileWriter(file, schema);
        writer.WriteRecordBatch(new RecordBatch(schema, columns, columns[0].Length));
        writer.WriteEnd();
        return path;
    }
}

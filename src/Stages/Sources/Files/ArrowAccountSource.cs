using System.Runtime.CompilerServices;
using Apache.Arrow;
using Apache.Arrow.Compression;
using Apache.Arrow.Ipc;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files.Internal;

namespace SalesIntel.Stages.Sources.Files;

/// <summary>
/// Reads an Arrow IPC file or stream (LZ4 or Zstandard compressed buffers included) whose columns already have
/// BigQuery's Arrow types, batch by batch as written. The kind is taken from the first bytes, so a stream named
/// <c>.arrow</c> still reads. <see cref="OpenAsync"/> checks the schema (every column maps to a BigQuery type,
/// account_signals columns have theirs) and counts the rows of a file from its footer for the row guard.
/// </summary>
public sealed class ArrowAccountSource : IAccountSource
{
    private static readonly CompressionCodecFactory Codecs = new();

    private readonly string _path;
    private FileStream? _stream;
    private ArrowStreamReader? _reader;
    private SourcePlan? _plan;

    /// <summary>Creates the source; nothing is opened until <see cref="OpenAsync"/>.</summary>
    public ArrowAccountSource(FileSourceOptions options)
    {
        options.Validate();
        _path = options.Path;
    }

    /// <inheritdoc />
    public async ValueTask<SourcePlan> OpenAsync(CancellationToken cancellationToken)
    {
        if (_plan is not null)
        {
            return _plan;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var stream = FileInput.OpenRead(_path, "an Arrow IPC file");
        try
        {
            var isFile = await SniffAsync(stream, cancellationToken);
            long? rows = isFile ? ArrowFileFooter.CountRows(stream) : null;
            stream.Position = 0;
            var reader = isFile ? new ArrowFileReader(stream, NativeArrowAllocator.Instance, Codecs, leaveOpen: true) : new ArrowStreamReader(stream, NativeArrowAllocator.Instance, Codecs, leaveOpen: true);
            Schema schema;
            try
            {
                schema = await reader.GetSchema(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                reader.Dispose();
                throw new SourceException($"{_path} is not a readable Arrow IPC {(isFile ? "file" : "stream")}: {Explain(e)}", inner: e);
            }

            TableSchema table;
            try
            {
                table = BigQueryArrowTypes.ToTableSchema(schema);
            }
            catch (FormatException e)
            {
                reader.Dispose();
                throw new SourceException($"{_path}: {e.Message}. Write the file with BigQuery's Arrow types (docs/FILE_FORMATS.md).", inner: e);
            }

            try
            {
                AccountSchemaCheck.Validate(table, _path);
            }
            catch
            {
                reader.Dispose();
                throw;
            }

            _stream = stream;
            _reader = reader;
            var kind = isFile ? FileFormats.DisplayName(FileFormat.ArrowFile) : FileFormats.DisplayName(FileFormat.ArrowStream);
            var details = new List<string> { $"{table.Fields.Count} columns" + (rows is null ? "" : $"; {rows:N0} rows in the footer") };
            _plan = new SourcePlan($"{_path} ({kind})", table, rows, stream.Length, details);
            return _plan;
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SourceBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        var reader = _reader!;
        for (var index = 0; ; index++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RecordBatch? batch;
            try
            {
                batch = await reader.ReadNextRecordBatchAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new SourceException($"{_path}: record batch {index} cannot be read: {Explain(e)}", inner: e);
            }

            if (batch is null)
            {
                yield break;
            }

            if (ArrowBatchCheck.FindProblem(batch) is { } problem)
            {
                batch.Dispose();
                throw new SourceException($"{_path}: record batch {index} cannot be read: {problem} (a damaged or inconsistently compressed body)");
            }

            var batchIndex = index;
            yield return new SourceBatch(batch, _path, i => $"batch {batchIndex} row {i}", []);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _reader?.Dispose();
        _reader = null;
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
            _stream = null;
        }
    }

    /// <summary>True for the IPC file format ("ARROW1" magic), false for the stream format (a continuation marker).</summary>
    private async Task<bool> SniffAsync(FileStream stream, CancellationToken cancellationToken)
    {
        var head = new byte[8];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (read >= 6 && head.AsSpan(0, 6).SequenceEqual("ARROW1"u8))
        {
            return true;
        }

        if (read >= 4 && head.AsSpan(0, 4).SequenceEqual(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }))
        {
            return false;
        }

        var shown = string.Concat(head.AsSpan(0, read).ToArray().Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}"));
        throw new SourceException(
            $"{_path} is not an Arrow IPC file or stream (it starts with \"{shown}\", not ARROW1 or an IPC message). "
            + "Point --source at an Arrow file, or use --source-format for a CSV or JSON Lines file.");
    }

    /// <summary>
    /// The reader's own message when it describes the file; for the bare argument and index errors Apache.Arrow
    /// throws on lengths and offsets that point outside the file, what that means for the user.
    /// </summary>
    private static string Explain(Exception e) => e is ArgumentException or IndexOutOfRangeException or OverflowException or InvalidCastException
        ? $"a length or offset in it points outside the file, so it is damaged or was not written by an Arrow IPC writer (the reader said: {e.Message})"
        : e.Message;
}

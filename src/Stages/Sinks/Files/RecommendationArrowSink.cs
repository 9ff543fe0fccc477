using Apache.Arrow;
using Apache.Arrow.Ipc;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sinks.Files;

/// <summary>
/// Writes recommendations as Arrow IPC, one record batch per incoming batch, in the Arrow types BigQuery uses for
/// the <c>account_recommendations</c> columns. <paramref name="fileFormat"/> picks the IPC file format (with footer,
/// random access) or the stream format. Written to a temporary file and renamed on <see cref="CompleteAsync"/>.
/// </summary>
/// <param name="path">Destination path.</param>
/// <param name="fileFormat">True for the IPC file format (.arrow), false for the stream format (.arrows).</param>
public sealed class RecommendationArrowSink(string path, bool fileFormat) : IRecommendationSink
{
    private static readonly Schema ArrowSchema = BigQueryArrowTypes.ToArrowSchema(RecommendationsTable.Schema);

    private TempFile? _file;
    private ArrowStreamWriter? _writer;
    private long _rows;

    /// <inheritdoc />
    public string Description => $"{path} (Arrow {(fileFormat ? "IPC file" : "IPC stream")})";

    /// <inheritdoc />
    public async ValueTask PreflightAsync(CancellationToken cancellationToken)
    {
        _file = TempFile.Create(path, "recommendations file");
        _writer = fileFormat ? new ArrowFileWriter(_file.Stream, ArrowSchema, leaveOpen: true) : new ArrowStreamWriter(_file.Stream, ArrowSchema, leaveOpen: true);

        // Written up front so that a run with no rows still publishes a valid, empty Arrow file with the schema.
        await _writer.WriteStartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(IReadOnlyList<Recommendation> batch, CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("PreflightAsync must run before WriteAsync");
        if (batch.Count == 0)
        {
            return;
        }

        using var records = RecommendationArrowBatch.Build(ArrowSchema, batch);
        await writer.WriteRecordBatchAsync(records, cancellationToken);
        _rows += batch.Count;
    }

    /// <inheritdoc />
    public async ValueTask<SinkResult> CompleteAsync(CancellationToken cancellationToken)
    {
        var writer = _writer ?? throw new InvalidOperationException("PreflightAsync must run before CompleteAsync");
        await writer.WriteEndAsync(cancellationToken);
        writer.Dispose();
        _file!.Commit();
        return new SinkResult(_rows, [], path);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        _file?.Dispose();
        return ValueTask.CompletedTask;
    }
}

using System.Globalization;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// Stages the rows of a line-oriented source (CSV, JSON Lines) into batches: the row builder, the source line of each
/// staged row, the rows rejected since the last batch, and when a batch is full (by rows or by staged bytes, so a few
/// huge notes fields cannot pile up in memory).
/// </summary>
internal sealed class LineBatchStager(string path, RowBatchBuilder builder, int batchSize)
{
    /// <summary>A batch is cut once its staged text reaches this, whatever its row count.</summary>
    public const long MaxBatchBytes = 64 << 20;

    private long _stagedBytes;

    public RowBatchBuilder Builder => builder;

    /// <summary>The source line of each staged row, in order.</summary>
    public List<long> Lines { get; } = new(batchSize);

    /// <summary>Rows rejected since the last batch.</summary>
    public List<DeadLetter> Rejected { get; } = [];

    public bool IsFull => builder.RowCount + Rejected.Count >= batchSize || _stagedBytes >= MaxBatchBytes;

    public bool HasPending => builder.RowCount > 0 || Rejected.Count > 0;

    public void AddStagedBytes(long bytes) => _stagedBytes += bytes;

    /// <summary>Builds the staged rows into a batch and starts the next one.</summary>
    public SourceBatch Take()
    {
        var lineOfRow = Lines.ToArray();
        Lines.Clear();
        var rows = builder.Build();
        var deadLetters = Rejected.ToArray();
        Rejected.Clear();
        _stagedBytes = 0;
        return new SourceBatch(rows, path, i => "line " + lineOfRow[i].ToString(CultureInfo.InvariantCulture), deadLetters);
    }
}

using Google.Protobuf;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>
/// The rows of one AppendRows request, kept until the server acknowledges them so they can be resent unchanged
/// after a dropped connection. Its offset is assigned when it is sent, because rows BigQuery rejects are taken out
/// of earlier requests and shift everything after them.
/// </summary>
internal sealed class AppendBatch
{
    private readonly List<Recommendation> _sources;

    public AppendBatch(List<ByteString> rows, List<Recommendation> sources, long rowBytes)
    {
        _sources = sources;
        Rows = new ProtoRows();
        Rows.SerializedRows.AddRange(rows);
        RowBytes = rowBytes;
    }

    /// <summary>The serialized rows, built once and resent as is.</summary>
    public ProtoRows Rows { get; private set; }

    /// <summary>Number of rows.</summary>
    public int RowCount => Rows.SerializedRows.Count;

    /// <summary>Encoded size of <see cref="Rows"/> inside a request.</summary>
    public long RowBytes { get; private set; }

    /// <summary>The stream offset of the first row, as last sent.</summary>
    public long Offset { get; set; }

    /// <summary>The recommendation behind row <paramref name="index"/>.</summary>
    public Recommendation Source(int index) => _sources[index];

    /// <summary>Takes the rows at <paramref name="indexes"/> out (BigQuery rejected them); the rest is resent as a new request.</summary>
    public void Remove(IReadOnlySet<int> indexes)
    {
        var kept = new ProtoRows();
        var keptSources = new List<Recommendation>(_sources.Count - indexes.Count);
        long bytes = 0;
        for (var i = 0; i < _sources.Count; i++)
        {
            if (indexes.Contains(i))
            {
                continue;
            }

            var row = Rows.SerializedRows[i];
            kept.SerializedRows.Add(row);
            keptSources.Add(_sources[i]);
            bytes += RowOverhead(row.Length) + row.Length;
        }

        Rows = kept;
        _sources.Clear();
        _sources.AddRange(keptSources);
        RowBytes = bytes;
    }

    /// <summary>Bytes a row of <paramref name="length"/> costs beyond itself inside ProtoRows (tag and length prefix).</summary>
    public static int RowOverhead(int length) => 1 + CodedOutputStream.ComputeLengthSize(length);
}

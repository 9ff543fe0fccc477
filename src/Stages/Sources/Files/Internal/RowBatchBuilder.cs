using Apache.Arrow;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Stages.Sources.Files.Internal;

/// <summary>
/// The column builders of one batch, row by row: a row is appended column by column, then committed, or rolled back
/// when one of its values is bad, so the yielded batch holds only whole, good rows.
/// </summary>
internal sealed class RowBatchBuilder
{
    private readonly ArrowBufferFactory _buffers = new();

    public RowBatchBuilder(TableSchema schema, int capacity, int knownColumns = int.MaxValue)
    {
        Schema = schema;
        ArrowSchema = BigQueryArrowTypes.ToArrowSchema(schema);
        Columns = new ColumnBuilder[schema.Fields.Count];
        for (var i = 0; i < Columns.Length; i++)
        {
            Columns[i] = ColumnBuilder.Create(schema.Fields[i], capacity, lenientText: i >= knownColumns);
        }
    }

    public TableSchema Schema { get; }

    public Schema ArrowSchema { get; }

    public ColumnBuilder[] Columns { get; }

    public int RowCount { get; private set; }

    public void Commit() => RowCount++;

    /// <summary>Takes back whatever the current row appended.</summary>
    public void Rollback()
    {
        foreach (var column in Columns)
        {
            column.Truncate(RowCount);
        }
    }

    /// <summary>The committed rows as a record batch; columns that got no values this batch are filled with NULL.</summary>
    public RecordBatch Build()
    {
        var arrays = new IArrowArray[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            var column = Columns[i];
            column.AppendNulls(RowCount - column.Length);
            arrays[i] = ArrowArrayFactory.BuildArray(column.Build(_buffers));
        }

        var batch = new RecordBatch(ArrowSchema, arrays, RowCount);
        RowCount = 0;
        return batch;
    }
}

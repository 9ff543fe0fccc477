using System.Data.SqlTypes;
using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;
using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Stages.Sources.Files;

/// <summary>
/// Builds an account_signals batch from rows of text forms with Apache.Arrow's own array builders, not ours: the
/// file a different Arrow writer would hand us, for the property test to compare with what our builders make.
/// </summary>
internal static class ApacheArrowBatch
{
    public static RecordBatch Build(Schema arrowSchema, TableSchema table, IReadOnlyList<string?[]> rows)
    {
        var arrays = new IArrowArray[table.Fields.Count];
        for (var c = 0; c < arrays.Length; c++)
        {
            var field = table.Fields[c];
            var cells = rows.Select(r => r[c]).ToList();
            arrays[c] = field switch
            {
                { Repeated: true, Type: BqType.String } => StringList(cells, arrowSchema.GetFieldByIndex(c).DataType),
                { Type: BqType.String } => Fill(new StringArray.Builder(), cells, (b, s) => b.Append(s), b => b.AppendNull(), b => b.Build()),
                { Type: BqType.Int64 } => Fill(new Int64Array.Builder(), cells, (b, s) => b.Append(long.Parse(s, CultureInfo.InvariantCulture)), b => b.AppendNull(), b => b.Build()),
                { Type: BqType.Float64 } => Fill(new DoubleArray.Builder(), cells, (b, s) => b.Append(double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)), b => b.AppendNull(), b => b.Build()),
                { Type: BqType.Numeric } => Fill(new Decimal128Array.Builder((Decimal128Type)arrowSchema.GetFieldByIndex(c).DataType), cells, (b, s) => b.Append(SqlDecimal.Parse(s)), b => b.AppendNull(), b => b.Build()),
                { Type: BqType.Date } => Fill(new Date32Array.Builder(), cells, (b, s) => b.Append(DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture)), b => b.AppendNull(), b => b.Build()),
                { Type: BqType.Timestamp } => Fill(new TimestampArray.Builder((TimestampType)arrowSchema.GetFieldByIndex(c).DataType), cells, (b, s) => b.Append(DateTimeOffset.Parse(s, CultureInfo.InvariantCulture)), b => b.AppendNull(), b => b.Build()),
                _ => throw new NotSupportedException($"{field.Name}: {field.TypeName} is not an account_signals type"),
            };
        }

        return new RecordBatch(arrowSchema, arrays, rows.Count);
    }

    private static IArrowArray Fill<TBuilder>(TBuilder builder, List<string?> cells, Action<TBuilder, string> append, Action<TBuilder> appendNull, Func<TBuilder, IArrowArray> build)
    {
        foreach (var cell in cells)
        {
            if (cell is null)
            {
                appendNull(builder);
            }
            else
            {
                append(builder, cell);
            }
        }

        return build(builder);
    }

    private static IArrowArray StringList(List<string?> cells, IArrowType type)
    {
        var builder = new ListArray.Builder(((ListType)type).ValueField);
        var values = (StringArray.Builder)builder.ValueBuilder;
        foreach (var cell in cells)
        {
            builder.Append();
            foreach (var item in JsonSerializer.Deserialize<string[]>(cell ?? "[]")!)
            {
                values.Append(item);
            }
        }

        return builder.Build();
    }
}

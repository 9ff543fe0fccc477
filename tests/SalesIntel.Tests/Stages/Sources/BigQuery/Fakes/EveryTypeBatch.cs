using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>
/// A table with every BigQuery column type (nested ones included) and the awkward values of each: NULLs, NaN and
/// infinities, extreme NUMERIC / BIGNUMERIC, epoch edges, empty strings, bytes and arrays, unicode.
/// </summary>
internal static class EveryTypeBatch
{
    /// <summary>The BigQuery schema.</summary>
    public static TableSchema Table { get; } = new(
    [
        new("id", BqType.Int64, Required: true),
        new("s", BqType.String),
        new("f", BqType.Float64),
        new("n", BqType.Numeric),
        new("bn", BqType.BigNumeric),
        new("b", BqType.Bool),
        new("by", BqType.Bytes),
        new("d", BqType.Date),
        new("dt", BqType.DateTime),
        new("t", BqType.Time),
        new("ts", BqType.Timestamp),
        new("g", BqType.Geography),
        new("j", BqType.Json),
        new("ai", BqType.Int64, Repeated: true),
        new("as", BqType.String, Repeated: true),
        new("st", BqType.Struct, Fields:
        [
            new("name", BqType.String),
            new("score", BqType.Float64),
            new("tags", BqType.String, Repeated: true),
            new("inner", BqType.Struct, Fields: [new("x", BqType.Int64), new("when", BqType.Date)]),
        ]),
    ]);

    /// <summary>The Arrow schema BigQuery sends for <see cref="Table"/>.</summary>
    public static Schema Schema { get; } = BigQueryArrowTypes.ToArrowSchema(Table);

    /// <summary>Rows of the table; row 1 is all NULLs where a NULL is allowed.</summary>
    public static RecordBatch Create()
    {
        const int Rows = 5;
        var epoch = DateTimeOffset.UnixEpoch;
        var id = new Int64Array.Builder().AppendRange([long.MinValue, 2, 0, long.MaxValue, 9_007_199_254_740_993]).Build();
        var s = Strings("plain", null, "", "東京 \"quoted\" \\ back\nslash", "emoji 😀");
        var f = new DoubleArray.Builder().Append(double.NaN).AppendNull().Append(double.PositiveInfinity).Append(double.NegativeInfinity).Append(-0.1).Build();
        var n = new Decimal128Array.Builder(BigQueryArrowTypes.Numeric);
        n.Append("99999999999999999999999999999.999999999").AppendNull().Append("0").Append("-1.5").Append("9007199254740993");
        var bn = new Decimal256Array.Builder(BigQueryArrowTypes.BigNumeric);
        bn.Append("-99999999999999999999999999999999999999.99999999999999999999999999999999999999").AppendNull().Append("0.00000000000000000000000000000000000001").Append("-12345678901234567890.5").Append("42");
        var b = new BooleanArray.Builder().Append(true).AppendNull().Append(false).Append(true).Append(false).Build();
        var by = new BinaryArray.Builder();
        by.Append(new byte[] { 0, 1, 2, 255 }.AsSpan()).AppendNull().Append(ReadOnlySpan<byte>.Empty).Append("hello"u8).Append(Encoding.UTF8.GetBytes("ünï"));
        var d = new Date32Array.Builder();
        d.Append(new DateOnly(1, 1, 1)).AppendNull().Append(new DateOnly(1970, 1, 1)).Append(new DateOnly(9999, 12, 31)).Append(new DateOnly(2024, 2, 29));
        var dt = new TimestampArray.Builder(BigQueryArrowTypes.DateTime);
        dt.Append(new DateTimeOffset(2024, 5, 1, 10, 20, 30, TimeSpan.Zero).AddTicks(1234560)).AppendNull().Append(epoch).Append(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero)).Append(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var t = new Time64Array.Builder(BigQueryArrowTypes.Time);
        t.Append(0L).AppendNull().Append(((23L * 3600) + (59 * 60) + 59) * 1_000_000 + 999_999).Append(12L * 3600 * 1_000_000).Append(1L);
        var ts = new TimestampArray.Builder(BigQueryArrowTypes.Timestamp);
        ts.Append(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(10)).AppendNull().Append(epoch).Append(epoch.AddTicks(-10)).Append(new DateTimeOffset(2038, 1, 19, 3, 14, 8, TimeSpan.Zero));
        var g = Strings("POINT(1 2)", null, "LINESTRING(0 0, 1 1)", "POLYGON((0 0, 1 0, 1 1, 0 0))", "GEOMETRYCOLLECTION EMPTY");
        var j = Strings("{\"b\":1,\"a\":[true,null,1.50]}", null, "\"text\"", "[]", "{\"nested\":{\"k\":\"ü\"}}");
        var ai = IntLists([1, 2, 3], [], [long.MaxValue], [-1], [0, 0]);
        var @as = StringLists(["x"], [], ["", "y"], ["東京"], ["a", "b", "c"]);
        var st = Struct();
        IArrowArray[] columns = [id, s, f, n.Build(), bn.Build(), b, by.Build(), d.Build(), dt.Build(), t.Build(), ts.Build(), g, j, ai, @as, st];
        return new RecordBatch(Schema, columns, Rows);
    }

    private static StringArray Strings(params string?[] values)
    {
        var builder = new StringArray.Builder();
        foreach (var v in values)
        {
            if (v is null)
            {
                builder.AppendNull();
            }
            else
            {
                builder.Append(v);
            }
        }

        return builder.Build();
    }

    private static ListArray IntLists(params long[][] rows)
    {
        var builder = new ListArray.Builder(((ListType)Schema.GetFieldByName("ai").DataType).ValueField);
        var values = (Int64Array.Builder)builder.ValueBuilder;
        foreach (var row in rows)
        {
            builder.Append();
            values.AppendRange(row);
        }

        return builder.Build();
    }

    private static ListArray StringLists(params string[][] rows) => StringLists(((ListType)Schema.GetFieldByName("as").DataType).ValueField, rows);

    private static ListArray StringLists(Field valueField, params string[][] rows)
    {
        var builder = new ListArray.Builder(valueField);
        var values = (StringArray.Builder)builder.ValueBuilder;
        foreach (var row in rows)
        {
            builder.Append();
            foreach (var v in row)
            {
                values.Append(v);
            }
        }

        return builder.Build();
    }

    private static StructArray Struct()
    {
        var type = (StructType)Schema.GetFieldByName("st").DataType;
        var innerType = (StructType)type.Fields[3].DataType;
        var inner = new StructArray(innerType, 5,
        [
            new Int64Array.Builder().Append(1).AppendNull().Append(3).Append(4).Append(5).Build(),
            new Date32Array.Builder().Append(new DateOnly(2024, 1, 1)).AppendNull().AppendNull().Append(new DateOnly(2000, 2, 29)).Append(new DateOnly(1999, 12, 31)).Build(),
        ], new ArrowBuffer.BitmapBuilder().AppendRange([true, false, true, true, true]).Build(), 1);
        return new StructArray(type, 5,
        [
            Strings("first", null, "", "ü", "last"),
            new DoubleArray.Builder().Append(1.25).AppendNull().Append(double.NaN).Append(0).Append(-2e300).Build(),
            StringLists(((ListType)type.Fields[2].DataType).ValueField, ["t1"], [], [], ["t2", "t3"], [""]),
            inner,
        ], new ArrowBuffer.BitmapBuilder().AppendRange([true, false, true, true, true]).Build(), 1);
    }
}

using System.Data.SqlTypes;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;

namespace SalesIntel.Tests.Stages.Decode;

public sealed class CanonicalJsonTests
{
    private static string Json(BqField field, IArrowArray array, int row = 0)
    {
        var schema = new TableSchema([field]);
        var batch = new RecordBatch(BigQueryArrowTypes.ToArrowSchema(schema), [array], array.Length);
        return Encoding.UTF8.GetString(new CanonicalJson(schema).Write(batch, row));
    }

    [Fact]
    public void Date_IsIsoDateString()
    {
        var json = Json(new BqField("d", BqType.Date), new Date32Array.Builder().Append(new DateOnly(2024, 2, 29)).Build());
        Assert.Equal("""{"d":"2024-02-29"}""", json);
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00Z")]
    [InlineData(1_714_558_830_123_456L, "2024-05-01T10:20:30.123456Z")]
    [InlineData(1_714_558_830_100_000L, "2024-05-01T10:20:30.100000Z")]
    [InlineData(-1L, "1969-12-31T23:59:59.999999Z")]
    public void Timestamp_IsUtcWithMicroseconds(long micros, string expected)
    {
        var array = new TimestampArray.Builder(BigQueryArrowTypes.Timestamp).Append(DateTimeOffset.UnixEpoch.AddTicks(micros * 10)).Build();
        Assert.Equal($$"""{"t":"{{expected}}"}""", Json(new BqField("t", BqType.Timestamp), array));
    }

    [Fact]
    public void DateTimeAndTime_HaveNoZoneAndMicroseconds()
    {
        var dt = new TimestampArray.Builder(BigQueryArrowTypes.DateTime).Append(new DateTimeOffset(2024, 5, 1, 10, 20, 30, TimeSpan.Zero).AddTicks(5)).Build();
        Assert.Equal("""{"dt":"2024-05-01T10:20:30"}""", Json(new BqField("dt", BqType.DateTime), dt));
        var time = new Time64Array.Builder(BigQueryArrowTypes.Time).Append(((10 * 3600) + (20 * 60) + 30) * 1_000_000L + 42).Build();
        Assert.Equal("""{"t":"10:20:30.000042"}""", Json(new BqField("t", BqType.Time), time));
    }

    [Theory]
    [InlineData("1.500000000", "\"1.5\"")]
    [InlineData("42.000000000", "42")]
    [InlineData("-0.000000000", "0")]
    [InlineData("12345678901234567890123456789.123456789", "\"12345678901234567890123456789.123456789\"")]
    [InlineData("9007199254740993", "\"9007199254740993\"")]
    [InlineData("-9007199254740992", "-9007199254740992")]
    [InlineData("-0.5", "\"-0.5\"")]
    [InlineData("-12.340", "\"-12.34\"")]
    [InlineData("0.000000001", "\"0.000000001\"")]
    [InlineData("-99999999999999999999999999999.999999999", "\"-99999999999999999999999999999.999999999\"")]
    public void Numeric_IsExactAndNeverThroughDouble(string value, string expected)
    {
        var array = new Decimal128Array.Builder(BigQueryArrowTypes.Numeric).Append(SqlDecimal.Parse(value)).Build();
        Assert.Equal($$"""{"n":{{expected}}}""", Json(new BqField("n", BqType.Numeric), array));
    }

    [Fact]
    public void BigNumeric_KeepsAll76Digits()
    {
        const string value = "1234567890123456789012345678901234567.12345678901234567890123456789012345678";
        var array = new Decimal256Array.Builder(BigQueryArrowTypes.BigNumeric).Append(value).Build();
        Assert.Equal($$"""{"b":"{{value}}"}""", Json(new BqField("b", BqType.BigNumeric), array));
    }

    [Theory]
    [InlineData(9_007_199_254_740_992L, "9007199254740992")]
    [InlineData(9_007_199_254_740_993L, "\"9007199254740993\"")]
    [InlineData(long.MinValue, "\"-9223372036854775808\"")]
    public void Int64_BeyondTwoToThe53_IsAString(long value, string expected)
    {
        var array = new Int64Array.Builder().Append(value).Build();
        Assert.Equal($$"""{"i":{{expected}}}""", Json(new BqField("i", BqType.Int64), array));
    }

    [Theory]
    [InlineData(double.NaN, "\"NaN\"")]
    [InlineData(double.PositiveInfinity, "\"Infinity\"")]
    [InlineData(double.NegativeInfinity, "\"-Infinity\"")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1")]
    public void Float64_NonFiniteValuesAreStrings(double value, string expected)
    {
        var array = new DoubleArray.Builder().Append(value).Build();
        Assert.Equal($$"""{"f":{{expected}}}""", Json(new BqField("f", BqType.Float64), array));
    }

    [Fact]
    public void BytesBoolJsonGeographyAndUnicode_HaveTheirBigQueryForms_OnlyNonBmpCharactersEscaped()
    {
        Assert.Equal("""{"b":"AAEC/w=="}""", Json(new BqField("b", BqType.Bytes), new BinaryArray.Builder().Append(new byte[] { 0, 1, 2, 255 }.AsSpan()).Build()));
        Assert.Equal("""{"b":true}""", Json(new BqField("b", BqType.Bool), new BooleanArray.Builder().Append(true).Build()));
        Assert.Equal("""{"j":{"a":[1,2],"b":"x"}}""", Json(new BqField("j", BqType.Json), new StringArray.Builder().Append("""{ "a": [1, 2], "b": "x" }""").Build()));
        Assert.Equal("""{"g":"POINT(1 2)"}""", Json(new BqField("g", BqType.Geography), new StringArray.Builder().Append("POINT(1 2)").Build()));
        Assert.Equal("""{"s":"Zoë \"q\" 株式会社 \uD83D\uDE80\n"}""", Json(new BqField("s", BqType.String), new StringArray.Builder().Append("Zoë \"q\" 株式会社 🚀\n").Build()));
    }

    [Fact]
    public void InvalidJsonColumn_IsAFormatExceptionNamingTheColumn()
    {
        var e = Assert.Throws<FormatException>(() => Json(new BqField("payload", BqType.Json), new StringArray.Builder().Append("{not json").Build()));
        Assert.Contains("payload", e.Message);
    }

    [Fact]
    public void ArrayStructAndNull_AreNestedWithSortedKeys()
    {
        var structField = new BqField("s", BqType.Struct, Fields: [new BqField("z", BqType.Int64), new BqField("a", BqType.String, Repeated: true)]);
        var arrowStruct = (StructType)BigQueryArrowTypes.ToArrowField(structField).DataType;
        var z = new Int64Array.Builder().Append(7).AppendNull().Build();
        var a = new ListArray.Builder(new Field("item", StringType.Default, false));
        var values = (StringArray.Builder)a.ValueBuilder;
        a.Append();
        values.Append("x");
        values.Append("y");
        a.AppendNull();
        var structArray = new StructArray(arrowStruct, 2, [z, a.Build()], new ArrowBuffer.BitmapBuilder().Append(true).Append(false).Build(), 1);
        Assert.Equal("""{"s":{"a":["x","y"],"z":7}}""", Json(structField, structArray, 0));
        Assert.Equal("""{"s":null}""", Json(structField, structArray, 1));
    }

    [Fact]
    public void ColumnOrder_DoesNotChangeTheJsonOrTheHash()
    {
        var a = new BqField("account_id", BqType.String);
        var b = new BqField("score", BqType.Int64);
        var ids = new StringArray.Builder().Append("acc-1").Build();
        var scores = new Int64Array.Builder().Append(5).Build();
        var first = new TableSchema([a, b]);
        var second = new TableSchema([b, a]);
        var one = new CanonicalJson(first).Write(new RecordBatch(BigQueryArrowTypes.ToArrowSchema(first), [ids, scores], 1), 0).ToArray();
        var two = new CanonicalJson(second).Write(new RecordBatch(BigQueryArrowTypes.ToArrowSchema(second), [scores, ids], 1), 0).ToArray();
        Assert.Equal(Encoding.UTF8.GetString(one), Encoding.UTF8.GetString(two));
        Assert.Equal(CanonicalJson.Hash(one), CanonicalJson.Hash(two));
        Assert.Matches("^[0-9a-f]{32}$", CanonicalJson.Hash(one));
    }
}

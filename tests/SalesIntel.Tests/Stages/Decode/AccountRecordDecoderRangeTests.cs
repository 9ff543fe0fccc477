using Apache.Arrow;
using Apache.Arrow.Types;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Formats.Text;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Decode;

/// <summary>Arrow values BigQuery would not hold are a per-row dead letter with the reason CSV and JSON Lines give, never a crash.</summary>
public sealed class AccountRecordDecoderRangeTests
{
    [Theory]
    [InlineData("snapshot_date", 2_932_897)]
    [InlineData("snapshot_date", -719_163)]
    [InlineData("last_meeting_date", int.MaxValue)]
    [InlineData("renewal_date", int.MinValue)]
    public void Decode_DateOutsideBigQuerysRange_IsAnUnparsableValue(string column, int day)
    {
        var array = new Date32Array(new ArrayData(Date32Type.Default, 1, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(BitConverter.GetBytes(day))]));

        var dead = DecodeOneBad(column, array);

        Assert.Equal("unparsable_value", dead.Reason);
        Assert.Contains(column, dead.Message, StringComparison.Ordinal);
        Assert.Contains("0001-01-01..9999-12-31", dead.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_DateAtTheEdgesOfTheRange_IsKept()
    {
        foreach (var day in new[] { TemporalText.MinDateDay, TemporalText.MaxDateDay })
        {
            var array = new Date32Array(new ArrayData(Date32Type.Default, 1, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(BitConverter.GetBytes(day))]));
            var result = Decode(With(TestAccounts.Batch(TestAccounts.Many(1)), "renewal_date", array));
            var record = Assert.Single(result.Records);
            Assert.Equal(day == TemporalText.MinDateDay ? DateOnly.MinValue : DateOnly.MaxValue, record.Signals.RenewalDate);
        }
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(253_402_300_800_000_000L)] // 10000-01-01T00:00:00Z
    public void Decode_TimestampOutsideBigQuerysRange_IsAnUnparsableValueNotAWrappedDate(long micros)
    {
        var array = new TimestampArray(new ArrayData(BigQueryArrowTypes.Timestamp, 1, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(BitConverter.GetBytes(micros))]));

        var dead = DecodeOneBad("last_activity_at", array);

        Assert.Equal("unparsable_value", dead.Reason);
        Assert.Contains("last_activity_at", dead.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("100000000000000000000000000000", 0)] // 30 integer digits
    [InlineData("1", 10)] // a tenth fractional digit that is not zero
    public void Decode_NumericBeyond29IntegerOr9FractionalDigits_IsAnUnparsableValue(string unscaled, int extraScale)
    {
        var type = new Decimal128Type(38, 9 + extraScale);
        var value = Int128.Parse(unscaled, System.Globalization.CultureInfo.InvariantCulture) * (extraScale == 0 ? 1_000_000_000 : 1);
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt128LittleEndian(bytes, value);
        var array = new Decimal128Array(new ArrayData(type, 1, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bytes)]));
        var batch = With(TestAccounts.Batch(TestAccounts.Many(1)), "annual_revenue", array);

        var result = Decode(batch);

        Assert.Empty(result.Records);
        var dead = Assert.Single(result.DeadLetters);
        Assert.Equal("unparsable_value", dead.Reason);
        Assert.Contains("NUMERIC", dead.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NumericWith29IntegerAnd9FractionalDigits_IsKept()
    {
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt128LittleEndian(bytes, Int128.Parse(new string('9', 38), System.Globalization.CultureInfo.InvariantCulture));
        var array = new Decimal128Array(new ArrayData(BigQueryArrowTypes.Numeric, 1, 0, 0, [ArrowBuffer.Empty, new ArrowBuffer(bytes)]));

        var result = Decode(With(TestAccounts.Batch(TestAccounts.Many(1)), "annual_revenue", array));

        Assert.Contains($"\"annual_revenue\":\"{new string('9', 29)}.{new string('9', 9)}\"", Assert.Single(result.Records).CanonicalJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_InvalidUtf8InAStringColumn_IsInvalidUtf8LikeCsv()
    {
        var names = new StringArray.Builder();
        names.Append([0x41, 0xFF, 0x42]);

        var dead = DecodeOneBad("account_name", names.Build());

        Assert.Equal("invalid_utf8", dead.Reason);
        Assert.Contains("account_name", dead.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NullElementInAStringArray_IsAnUnparsableValue()
    {
        var topics = new ListArray.Builder(new Field("item", StringType.Default, nullable: true));
        var values = (StringArray.Builder)topics.ValueBuilder;
        topics.Append();
        values.Append("crm");
        values.AppendNull();

        var dead = DecodeOneBad("intent_topics", topics.Build());

        Assert.Equal("unparsable_value", dead.Reason);
        Assert.Contains("element 1 is null", dead.Message, StringComparison.Ordinal);
    }

    private static DeadLetter DecodeOneBad(string column, IArrowArray oneValue)
    {
        var result = Decode(With(TestAccounts.Batch(TestAccounts.Many(1)), column, oneValue));
        Assert.Empty(result.Records);
        var dead = Assert.Single(result.DeadLetters);
        Assert.Equal("decode", dead.Stage);
        Assert.Equal("line 2", dead.Position.Detail);
        return dead;
    }

    private static DecodedBatch Decode(RecordBatch rows) =>
        new AccountRecordDecoder(DateRange.All, keepCanonicalJson: true).Decode(new SourceBatch(rows, "in.arrow", i => $"line {i + 2}", []));

    private static RecordBatch With(RecordBatch batch, string column, IArrowArray array)
    {
        var index = batch.Schema.GetFieldIndex(column);
        var fields = batch.Schema.FieldsList.Select((f, i) => i == index ? new Field(f.Name, array.Data.DataType, f.IsNullable) : f);
        var columns = Enumerable.Range(0, batch.ColumnCount).Select(i => i == index ? array : batch.Column(i));
        return new RecordBatch(new Schema(fields, null), columns, batch.Length);
    }
}

using Google.Protobuf;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Sinks.BigQuery.Internal;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery.Internal;

public sealed class AppendRowsCallTests
{
    [Theory]
    [InlineData(true, 0L)]
    [InlineData(false, 0L)]
    [InlineData(false, 1234567L)]
    [InlineData(true, 300L)]
    public void Frame_IsByteForByteTheGeneratedAppendRowsRequest(bool first, long offset)
    {
        var encoder = new RecommendationRowEncoder();
        var batch = new AppendBatch<Recommendation>(0, RecommendationRowEncoder.WriterSchemaBytes);
        foreach (var r in TestRecommendations.Range(0, 40))
        {
            batch.Add(r, encoder, encoder.Measure(r));
        }

        var stream = "projects/p/datasets/d/tables/t/streams/abc";
        var frame = new AppendFrame(first ? stream : null, offset, first, first ? "salesintel" : null, batch);
        var ours = new byte[AppendRowsCall.Size(frame)];
        AppendRowsCall.Write(frame, ours);

        var expected = new AppendRowsRequest { Offset = offset, ProtoRows = new AppendRowsRequest.Types.ProtoData { Rows = new ProtoRows() } };
        if (first)
        {
            expected.WriteStream = stream;
            expected.TraceId = "salesintel";
            expected.ProtoRows.WriterSchema = RecommendationRowEncoder.WriterSchema;
        }

        var decoder = new DescriptorRowDecoder(RecommendationRowEncoder.Descriptor);
        var parsed = AppendRowsRequest.Parser.ParseFrom(ours);
        expected.ProtoRows.Rows.SerializedRows.AddRange(parsed.ProtoRows.Rows.SerializedRows);
        Assert.Equal(expected.ToByteArray(), ours);
        Assert.Equal(40, parsed.ProtoRows.Rows.SerializedRows.Count);
        Assert.Equal(TestRecommendations.AccountId(7), new FakeRow(decoder.Decode(parsed.ProtoRows.Rows.SerializedRows[7])).AccountId);
    }

    [Fact]
    public void Batch_WithRowsRemoved_KeepsTheOthersInOrder()
    {
        var encoder = new RecommendationRowEncoder();
        var batch = new AppendBatch<Recommendation>(0, RecommendationRowEncoder.WriterSchemaBytes);
        var rows = TestRecommendations.Range(0, 10);
        foreach (var r in rows)
        {
            batch.Add(r, encoder, encoder.Measure(r));
        }

        batch.Remove(new HashSet<int> { 0, 4, 9 });

        var parsed = ProtoRows.Parser.ParseFrom(batch.Rows.ToArray());
        var decoder = new DescriptorRowDecoder(RecommendationRowEncoder.Descriptor);
        string[] expected = [.. new[] { 1, 2, 3, 5, 6, 7, 8 }.Select(TestRecommendations.AccountId)];
        Assert.Equal(expected, parsed.SerializedRows.Select(b => new FakeRow(decoder.Decode(b)).AccountId));
        Assert.Equal(expected, Enumerable.Range(0, batch.RowCount).Select(i => batch.Source(i).AccountId));
    }
}

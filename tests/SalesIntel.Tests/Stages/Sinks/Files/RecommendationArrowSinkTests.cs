using Apache.Arrow;
using Apache.Arrow.Ipc;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.Files;

namespace SalesIntel.Tests.Stages.Sinks.Files;

public sealed class RecommendationArrowFileSinkTests : RecommendationSinkContractTests
{
    protected override string Extension => ".arrow";

    protected override IRecommendationSink Create(string path) => new RecommendationArrowSink(path, fileFormat: true);

    protected override IReadOnlyList<(string AccountId, long Score, string Rationale, string[] Actions, long? InputTokens)> ReadBack(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new ArrowFileReader(stream);
        return ArrowReadBack.Rows(() => reader.ReadNextRecordBatch());
    }
}

public sealed class RecommendationArrowStreamSinkTests : RecommendationSinkContractTests
{
    protected override string Extension => ".arrows";

    protected override IRecommendationSink Create(string path) => new RecommendationArrowSink(path, fileFormat: false);

    protected override IReadOnlyList<(string AccountId, long Score, string Rationale, string[] Actions, long? InputTokens)> ReadBack(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new ArrowStreamReader(stream);
        return ArrowReadBack.Rows(() => reader.ReadNextRecordBatch());
    }
}

internal static class ArrowReadBack
{
    public static IReadOnlyList<(string AccountId, long Score, string Rationale, string[] Actions, long? InputTokens)> Rows(Func<RecordBatch?> next)
    {
        var rows = new List<(string, long, string, string[], long?)>();
        while (next() is { } batch)
        {
            using (batch)
            {
                Assert.Equal(RecommendationsTable.Schema.Fields.Select(f => f.TypeName), BigQueryArrowTypes.ToTableSchema(batch.Schema).Fields.Select(f => f.TypeName));
                var actions = (ListArray)batch.Column("recommended_actions");
                var inputTokens = (Int64Array)batch.Column("input_tokens");
                for (var i = 0; i < batch.Length; i++)
                {
                    var values = (StringArray)actions.Values;
                    var list = Enumerable.Range(actions.ValueOffsets[i], actions.GetValueLength(i)).Select(k => values.GetString(k)).ToArray();
                    rows.Add((((StringArray)batch.Column("account_id")).GetString(i), ((Int64Array)batch.Column("score")).GetValue(i)!.Value,
                        ((StringArray)batch.Column("rationale")).GetString(i), list, inputTokens.GetValue(i)));
                }
            }
        }

        return rows;
    }
}

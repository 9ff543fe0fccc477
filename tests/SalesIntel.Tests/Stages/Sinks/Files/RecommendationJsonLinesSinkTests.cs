using System.Text.Json;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.Files;

namespace SalesIntel.Tests.Stages.Sinks.Files;

public sealed class RecommendationJsonLinesSinkTests : RecommendationSinkContractTests
{
    protected override string Extension => ".jsonl";

    protected override IRecommendationSink Create(string path) => new RecommendationJsonLinesSink(path);

    protected override IReadOnlyList<(string AccountId, long Score, string Rationale, string[] Actions, long? InputTokens)> ReadBack(string path) =>
        File.ReadLines(path).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            Assert.Equal("2026-11-28T06:00:00.000123Z", r.GetProperty("scored_at").GetString());
            Assert.Equal(JsonValueKind.Null, r.GetProperty("model").ValueKind);
            return (r.GetProperty("account_id").GetString()!, r.GetProperty("score").GetInt64(), r.GetProperty("rationale").GetString()!,
                r.GetProperty("recommended_actions").EnumerateArray().Select(a => a.GetString()!).ToArray(),
                r.GetProperty("input_tokens").ValueKind == JsonValueKind.Null ? (long?)null : r.GetProperty("input_tokens").GetInt64());
        }).ToList();
}

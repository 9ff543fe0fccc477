using SalesIntel.Stages.Batching;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Batching;

public sealed class RecommendationBatcherTests
{
    [Fact]
    public void Add_ReturnsAFullBatchEveryMaxRows()
    {
        var batcher = new RecommendationBatcher(maxRows: 3, maxBytes: long.MaxValue);
        var full = Enumerable.Range(0, 7).Select(i => batcher.Add(TestRecommendations.Make($"a{i}"))).Where(b => b is not null).ToList();
        Assert.Equal([3, 3], full.Select(b => b!.Count));
        Assert.Single(batcher.Flush());
    }

    [Fact]
    public void Add_SplitsByBytesBeforeTheRowLimit()
    {
        var big = TestRecommendations.Make("a") with { Rationale = new string('x', 1000) };
        var size = RecommendationBatcher.EstimateBytes(big);
        var batcher = new RecommendationBatcher(maxRows: 100, maxBytes: (size * 2) + 1);
        Assert.Null(batcher.Add(big));
        Assert.Null(batcher.Add(big));
        var full = batcher.Add(big);
        Assert.Equal(2, full!.Count);
        Assert.Single(batcher.Flush());
    }

    [Fact]
    public void Add_ARowLargerThanTheByteLimit_StillGoesOutAlone()
    {
        var huge = TestRecommendations.Make("a") with { Rationale = new string('x', 10_000) };
        var batcher = new RecommendationBatcher(maxRows: 100, maxBytes: 100);
        Assert.Null(batcher.Add(huge));
        Assert.Single(batcher.Add(huge)!);
        Assert.Single(batcher.Flush());
    }
}

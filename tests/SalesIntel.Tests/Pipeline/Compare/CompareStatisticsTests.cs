using SalesIntel.Pipeline.Compare;

namespace SalesIntel.Tests.Pipeline.Compare;

/// <summary>The compare figures against hand computations.</summary>
public sealed class CompareStatisticsTests
{
    private static ComparedPair Pair(string id, int? a, int? b) =>
        new(id, a is { } x ? SalesIntel.Stages.Model.Tiers.ForScore(x) : null, b is { } y ? SalesIntel.Stages.Model.Tiers.ForScore(y) : null, a, b, "ra", "rb");

    [Fact]
    public void From_FivePairsOneUnscored_MatrixAgreementAndMaeAsComputedByHand()
    {
        // A: 85(A) 65(B) 45(C) 20(D) 90(A) 50(-)   B: 82(A) 40(C) 45(C) 60(B) 75(B) -
        var stats = CompareStatistics.From([Pair("1", 85, 82), Pair("2", 65, 40), Pair("3", 45, 45), Pair("4", 20, 60), Pair("5", 90, 75), Pair("6", 50, null)]);

        Assert.Equal(5, stats.Paired);
        Assert.Equal(1, stats.Unpaired);
        Assert.Equal(2, stats.Agreeing); // 1 (A,A) and 3 (C,C)
        Assert.Equal(0.4, stats.AgreementRate, 10);
        Assert.Equal((3 + 25 + 0 + 40 + 15) / 5.0, stats.MeanAbsoluteDifference, 10); // 16.6
        Assert.Equal(1, stats.Cell("A", "A"));
        Assert.Equal(1, stats.Cell("A", "B"));
        Assert.Equal(1, stats.Cell("B", "C"));
        Assert.Equal(1, stats.Cell("C", "C"));
        Assert.Equal(1, stats.Cell("D", "B"));
        Assert.Equal(5, CompareStatistics.TierOrder.Sum(a => CompareStatistics.TierOrder.Sum(b => stats.Cell(a, b))));
    }

    [Fact]
    public void From_Differences_FallInTheirBins()
    {
        // B - A: -3, -25, 0, +40, -15
        var stats = CompareStatistics.From([Pair("1", 85, 82), Pair("2", 65, 40), Pair("3", 45, 45), Pair("4", 20, 60), Pair("5", 90, 75)]);

        var bins = CompareStatistics.DifferenceBinLabels.Zip(stats.DifferenceBins).Where(b => b.Second > 0).ToDictionary(b => b.First, b => b.Second);
        Assert.Equal(new Dictionary<string, int> { ["-10..-1"] = 1, ["-30..-21"] = 1, ["0"] = 1, ["31..40"] = 1, ["-20..-11"] = 1 }, bins);
        Assert.Equal(21, CompareStatistics.DifferenceBinLabels.Count);
    }

    [Theory]
    [InlineData(-100, 0)]
    [InlineData(-91, 0)]
    [InlineData(-90, 1)]
    [InlineData(-1, 9)]
    [InlineData(0, 10)]
    [InlineData(1, 11)]
    [InlineData(10, 11)]
    [InlineData(11, 12)]
    [InlineData(100, 20)]
    public void BinOf_EdgesOfTheBins_LandWhereTheLabelsSay(int difference, int bin) =>
        Assert.Equal(bin, CompareStatistics.BinOf(difference));

    [Fact]
    public void From_NothingPaired_ZeroRatesNoDivisionByZero()
    {
        var stats = CompareStatistics.From([Pair("1", 50, null), Pair("2", null, null)]);

        Assert.Equal((0, 2, 0.0, 0.0), (stats.Paired, stats.Unpaired, stats.AgreementRate, stats.MeanAbsoluteDifference));
    }

    [Fact]
    public void Percentile_TenValues_NearestRankAsComputedByHand()
    {
        long[] latencies = [50, 10, 40, 20, 30, 100, 90, 60, 80, 70];

        // Sorted 10..100: p50 rank ceil(5) = 5 -> 50; p95 rank ceil(9.5) = 10 -> 100; p99 -> 100; p10 rank 1 -> 10.
        Assert.Equal(50, CompareStatistics.Percentile(latencies, 50));
        Assert.Equal(100, CompareStatistics.Percentile(latencies, 95));
        Assert.Equal(100, CompareStatistics.Percentile(latencies, 99));
        Assert.Equal(10, CompareStatistics.Percentile(latencies, 10));
        Assert.Equal(90, CompareStatistics.Percentile(latencies, 90));
    }

    [Fact]
    public void Percentile_TwoHundredValues_P95AndP99AreTheRanksNotInterpolations()
    {
        var latencies = Enumerable.Range(1, 200).Select(i => (long)i * 3).Reverse();

        Assert.Equal(100 * 3, CompareStatistics.Percentile(latencies, 50));
        Assert.Equal(190 * 3, CompareStatistics.Percentile(latencies, 95));
        Assert.Equal(198 * 3, CompareStatistics.Percentile(latencies, 99));
        Assert.Null(CompareStatistics.Percentile([], 50));
    }
}

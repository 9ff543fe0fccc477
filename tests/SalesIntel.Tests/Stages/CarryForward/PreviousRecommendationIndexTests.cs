using SalesIntel.Stages.CarryForward;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.CarryForward;

public sealed class PreviousRecommendationIndexTests
{
    private const string MaterialA = "0123456789abcdef0123456789abcdef";
    private const string MaterialB = "fedcba9876543210fedcba9876543210";

    [Fact]
    public void Build_KeepsTheLatestScoreDatePerAccount_AndReadsTheFullRowBack()
    {
        using var builder = new PreviousRecommendationIndex.Builder();
        var day = new DateOnly(2026, 11, 20);
        builder.Add(TestRecommendations.Make("acc-1", 40) with { ScoreDate = day.AddDays(2), MaterialHash = MaterialB });
        builder.Add(TestRecommendations.Make("acc-1", 30) with { ScoreDate = day, MaterialHash = MaterialA });
        builder.Add(TestRecommendations.Make("acc-2", 90) with { ScoreDate = day.AddDays(1), MaterialHash = MaterialA, CarriedFrom = day, Model = "gemini-2.5-flash" });
        using var index = builder.Build();

        Assert.Equal(2, index.Count);
        Assert.True(index.TryFind("acc-1", out var one));
        Assert.Equal((day.AddDays(2), day.AddDays(2), PreviousRecommendationIndex.MaterialKey(MaterialB)!.Value), (one.ScoreDate, one.ScoredDate, one.MaterialKey));
        Assert.Equal(40, index.Read(one).Score);

        Assert.True(index.TryFind("acc-2", out var two));
        Assert.Equal(day, two.ScoredDate);
        var row = index.Read(two);
        var want = TestRecommendations.Make("acc-2", 90);
        Assert.Equal((want.Rationale, "gemini-2.5-flash", MaterialA, (DateOnly?)day), (row.Rationale, row.Model, row.MaterialHash, row.CarriedFrom));
        Assert.Equal(want.RecommendedActions, row.RecommendedActions);
        Assert.Equal((want.Confidence, want.Tier, want.ScoredAt), (row.Confidence, row.Tier, row.ScoredAt));
        Assert.False(index.TryFind("acc-3", out _));
    }

    [Fact]
    public void Build_RowsWithoutAMaterialHash_AreCountedButNotIndexed()
    {
        using var builder = new PreviousRecommendationIndex.Builder();
        builder.Add(TestRecommendations.Make("acc-1"));
        builder.Add(TestRecommendations.Make("acc-2") with { MaterialHash = "not hex at all!!" });
        using var index = builder.Build();

        Assert.Equal((0, 2L), (index.Count, index.RowsSeen));
        Assert.False(index.TryFind("acc-1", out _));
    }

    [Fact]
    public void Entries_HoldAtMost64BytesPerAccountInMemory()
    {
        using var builder = new PreviousRecommendationIndex.Builder();
        for (var i = 0; i < 1000; i++)
        {
            builder.Add(TestRecommendations.Make($"acc-{i}") with { MaterialHash = MaterialA });
        }

        using var index = builder.Build();

        Assert.Equal(32, PreviousRecommendationIndex.EntryBytes);
        Assert.Equal(32_000, index.MemoryBytes);
        Assert.True(index.SpillBytes > index.MemoryBytes, "the rows themselves are on disk");
        Assert.All(Enumerable.Range(0, 1000), i => Assert.True(index.TryFind($"acc-{i}", out _)));
    }
}

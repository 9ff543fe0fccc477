using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.BigQuery.Internal;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Internal;

public sealed class TaskShardTests
{
    [Fact]
    public void For_TenDaysFourTasks_GivesContiguousBlocksOf3_3_2_2CoveringEveryDayOnce()
    {
        var dates = DateRange.Between(new DateOnly(2024, 5, 1), new DateOnly(2024, 5, 10));

        var restrictions = Enumerable.Range(0, 4).Select(i => TaskShard.For(dates, "snapshot_date", "account_id", i, 4, null).RowRestriction).ToList();

        Assert.Equal(
        [
            "snapshot_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-03'",
            "snapshot_date BETWEEN DATE '2024-05-04' AND DATE '2024-05-06'",
            "snapshot_date BETWEEN DATE '2024-05-07' AND DATE '2024-05-08'",
            "snapshot_date BETWEEN DATE '2024-05-09' AND DATE '2024-05-10'",
        ], restrictions);
    }

    [Fact]
    public void For_OneTask_IsJustTheDateFilter()
    {
        var shard = TaskShard.For(DateRange.Single(new DateOnly(2024, 5, 1)), "snapshot_date", "account_id", 0, 1, null);

        Assert.Equal("snapshot_date = DATE '2024-05-01'", shard.RowRestriction);
        Assert.Null(shard.Description);
    }

    [Fact]
    public void For_FewerDaysThanTasks_SplitsKeysWithOpenEndsAtBothSides()
    {
        var dates = DateRange.Between(new DateOnly(2024, 5, 1), new DateOnly(2024, 5, 2));

        var shards = Enumerable.Range(0, 3).Select(i => TaskShard.For(dates, "snapshot_date", "account_id", i, 3, ["g", "p"]).RowRestriction).ToList();

        Assert.Equal(
        [
            "snapshot_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-02' AND account_id < 'g'",
            "snapshot_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-02' AND account_id >= 'g' AND account_id < 'p'",
            "snapshot_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-02' AND account_id >= 'p'",
        ], shards);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(62)]
    [InlineData(1000)]
    public void DefaultKeyBoundaries_AreStrictlyIncreasingInOrdinalOrder(int tasks)
    {
        var boundaries = TaskShard.DefaultKeyBoundaries(tasks);

        Assert.Equal(tasks - 1, boundaries.Count);
        Assert.All(boundaries.Zip(boundaries.Skip(1)), p => Assert.True(string.CompareOrdinal(p.First, p.Second) < 0, $"{p.First} !< {p.Second}"));
    }

    [Fact]
    public void Literal_EscapesQuotesBackslashesAndControlCharacters()
    {
        Assert.Equal(@"'it\'s a \\ \x0a'", TaskShard.Literal("it's a \\ \n"));
    }
}

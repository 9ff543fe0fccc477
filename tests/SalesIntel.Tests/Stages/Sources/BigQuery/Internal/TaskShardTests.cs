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
            "snapshot_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-02' AND (account_id < 'g')",
            "snapshot_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-02' AND (account_id >= 'g' AND account_id < 'p')",
            "snapshot_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-02' AND (account_id >= 'p')",
        ], shards);
    }

    [Fact]
    public void For_OneDayThreeTasks_DealsKeyEndingsRoundRobinAndGivesTheLastTaskEverythingElse()
    {
        var day = DateRange.Single(new DateOnly(2024, 5, 1));

        var shards = Enumerable.Range(0, 3).Select(i => TaskShard.For(day, "snapshot_date", "account_id", i, 3, null)).ToList();

        Assert.StartsWith("snapshot_date = DATE '2024-05-01' AND (account_id LIKE '%0' OR account_id LIKE '%3' OR account_id LIKE '%6' OR account_id LIKE '%9' OR account_id LIKE '%c'", shards[0].RowRestriction);
        Assert.StartsWith("snapshot_date = DATE '2024-05-01' AND (account_id LIKE '%1' OR account_id LIKE '%4'", shards[1].RowRestriction);
        Assert.StartsWith("snapshot_date = DATE '2024-05-01' AND (NOT (account_id LIKE '%0' OR account_id LIKE '%1' OR account_id LIKE '%3'", shards[2].RowRestriction);
        Assert.EndsWith(") OR account_id IS NULL)", shards[2].RowRestriction);
        Assert.DoesNotContain("LIKE '%2'", shards[2].RowRestriction);
        Assert.Equal("task 3/3: account_id ending in 2 5 8 b e h k n q t w z C F I L O R U X or any other character of snapshot_date 2024-05-01", shards[2].Description);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(62)]
    public void For_SharedPartitions_EveryKeyEndingBelongsToExactlyOneTask(int tasks)
    {
        var shards = Enumerable.Range(0, tasks).Select(i => TaskShard.For(DateRange.All, "snapshot_date", "account_id", i, tasks, null).RowRestriction!).ToList();

        foreach (var ending in TaskShard.SuffixAlphabet.Append('-').Append('_').Append('é'))
        {
            var owners = shards.Count(r => r.StartsWith("NOT (", StringComparison.Ordinal) ? !r.Contains($"LIKE '%{ending}'", StringComparison.Ordinal) : r.Contains($"LIKE '%{ending}'", StringComparison.Ordinal));
            Assert.True(owners == 1, $"ending '{ending}' belongs to {owners} tasks");
        }
    }

    [Fact]
    public void Literal_EscapesQuotesBackslashesAndControlCharacters()
    {
        Assert.Equal(@"'it\'s a \\ \x0a'", TaskShard.Literal("it's a \\ \n"));
    }
}

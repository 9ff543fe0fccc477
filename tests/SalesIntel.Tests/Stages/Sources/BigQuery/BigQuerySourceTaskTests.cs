using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.BigQuery;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sources.BigQuery;

/// <summary>Cloud Run tasks: each task opens its own session over a disjoint share; together they read every row once.</summary>
public sealed class BigQuerySourceTaskTests(SharedFakeBigQueryReadServer shared) : BigQuerySourceTestBase(shared)
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public async Task ReadAsync_TasksSharingOneDay_TogetherReadEveryRowExactlyOnceInFairShares(int tasks)
    {
        var shares = await ReadAsTasksAsync(tasks, DateRange.Single(Days[0]));

        var all = shares.SelectMany(s => s).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ExpectedRows(d => d == Days[0]), all);
        Assert.All(shares, s => Assert.InRange(s.Count, AccountsPerDay / tasks * 0.7, AccountsPerDay / tasks * 1.3));
        Assert.All(Fake.SessionRequests, r => Assert.StartsWith("snapshot_date = DATE '2024-05-01'", r.Request.ReadSession.ReadOptions.RowRestriction));
        Assert.All(Fake.SessionRequests, r => Assert.Contains(" AND (", r.Request.ReadSession.ReadOptions.RowRestriction, StringComparison.Ordinal));
        Assert.Contains(Fake.SessionRequests, r => r.Request.ReadSession.ReadOptions.RowRestriction.Contains("account_id LIKE '%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_TwoTasksThreeDays_SplitByBlocksOfDays()
    {
        var shares = await ReadAsTasksAsync(2, DateRange.Between(Days[0], Days[2]));

        Assert.Equal(ExpectedRows(_ => true), shares.SelectMany(s => s).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(
            ["snapshot_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-02'", "snapshot_date = DATE '2024-05-03'"],
            Fake.SessionRequests.Select(r => r.Request.ReadSession.ReadOptions.RowRestriction));
        Assert.Equal([2 * AccountsPerDay, AccountsPerDay], shares.Select(s => s.Count));
    }

    [Fact]
    public async Task ReadAsync_ThreeTasksAllDates_SplitByKeyRangesOverEveryPartition()
    {
        var shares = await ReadAsTasksAsync(3, DateRange.All);

        Assert.Equal(ExpectedRows(_ => true), shares.SelectMany(s => s).Order(StringComparer.Ordinal).ToList());
        Assert.All(Fake.SessionRequests, r => Assert.DoesNotContain("snapshot_date", r.Request.ReadSession.ReadOptions.RowRestriction, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_ExplicitKeyBoundaries_SplitExactlyAtThoseKeys()
    {
        var shares = await ReadAsTasksAsync(2, DateRange.Single(Days[0]), ["M"]);

        Assert.Equal(ExpectedRows(d => d == Days[0]), shares.SelectMany(s => s).Order(StringComparer.Ordinal).ToList());
        Assert.All(shares[0], row => Assert.True(string.CompareOrdinal(AccountId(row), "M") < 0, AccountId(row)));
        Assert.All(shares[1], row => Assert.True(string.CompareOrdinal(AccountId(row), "M") >= 0, AccountId(row)));
        Assert.Equal(
            ["snapshot_date = DATE '2024-05-01' AND (account_id < 'M')", "snapshot_date = DATE '2024-05-01' AND (account_id >= 'M')"],
            Fake.SessionRequests.Select(r => r.Request.ReadSession.ReadOptions.RowRestriction));
    }

    [Fact]
    public async Task OpenAsync_Task_PlanNamesItsShare()
    {
        await using var source = Source(new BigQuerySourceOptions { Table = TableUri, Dates = DateRange.Single(Days[0]), TaskIndex = 1, TaskCount = 4, EmulatorHost = Server.Host });

        var plan = await source.OpenAsync(default);

        Assert.Contains("task 2/4: account_id ending in 1 5 9 d h l p t x B F J N R V Z of snapshot_date 2024-05-01", plan.Details);
    }

    private async Task<List<List<string>>> ReadAsTasksAsync(int tasks, DateRange dates, IReadOnlyList<string>? boundaries = null)
    {
        var shares = new List<List<string>>();
        for (var task = 0; task < tasks; task++)
        {
            await using var source = Source(new BigQuerySourceOptions
            {
                Table = TableUri,
                Dates = dates,
                MaxStreams = 3,
                TaskIndex = task,
                TaskCount = tasks,
                TaskKeyBoundaries = boundaries,
                EmulatorHost = Server.Host,
            });
            var batches = await ReadAllAsync(source);
            shares.Add(CanonicalRows(batches.Select(b => b.Rows)));
        }

        return shares;
    }

    private static string AccountId(string canonicalRow) =>
        System.Text.Json.JsonDocument.Parse(canonicalRow).RootElement.GetProperty("account_id").GetString()!;
}

using Apache.Arrow;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Sources;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Sources;

/// <summary>
/// The contract every <see cref="IAccountSource"/> meets (every file format, BigQuery over the fake, the test fake),
/// so none can drift from the others: every row exactly once with its own position, account_signals' Arrow shape in
/// the plan and in every batch, caller cancellation passed through, disposal without reading.
/// </summary>
public abstract class AccountSourceContractTests
{
    /// <summary>True when rows come back in the order they were stored (files); parallel streams interleave.</summary>
    protected virtual bool Ordered => true;

    /// <summary>A source holding exactly <paramref name="accounts"/>, not yet opened.</summary>
    protected abstract ValueTask<IAccountSource> CreateAsync(IReadOnlyList<TestAccount> accounts);

    private static TestAccount[] Accounts(int count) => TestAccounts.Many(count);

    [Fact]
    public async Task ReadAsync_EveryRowExactlyOnce_EachWithItsOwnPosition()
    {
        var accounts = Accounts(1500);
        await using var source = await CreateAsync(accounts);
        await source.OpenAsync(CancellationToken.None);

        var ids = new List<string>();
        var positions = new HashSet<(string, string)>();
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            using var rows = batch.Rows;
            var column = (StringArray)rows.Column("account_id");
            for (var i = 0; i < rows.Length; i++)
            {
                ids.Add(column.GetString(i));
                var position = batch.PositionOf(i);
                Assert.True(positions.Add((position.Location, position.Detail)), $"position {position} given twice");
            }

            Assert.Empty(batch.Rejected);
        }

        var expected = accounts.Select(a => a.AccountId!).ToList();
        if (Ordered)
        {
            Assert.Equal(expected, ids);
        }
        else
        {
            Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task OpenAsync_PlanAndEveryBatch_HaveTheAccountSignalsShape()
    {
        await using var source = await CreateAsync(Accounts(300));

        var plan = await source.OpenAsync(CancellationToken.None);

        AccountSchemaCheck.Validate(plan.Schema, "plan");
        Assert.False(string.IsNullOrWhiteSpace(plan.Description));
        await foreach (var batch in source.ReadAsync(CancellationToken.None))
        {
            using var rows = batch.Rows;
            AccountSchemaCheck.Validate(BigQueryArrowTypes.ToTableSchema(rows.Schema), "batch");
        }
    }

    [Fact]
    public async Task ReadAsync_CancelledBefore_ThrowsCancellation()
    {
        await using var source = await CreateAsync(Accounts(50));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in source.ReadAsync(cts.Token))
            {
                batch.Rows.Dispose();
            }
        });
    }

    [Fact]
    public async Task ReadAsync_CancelledDuring_ThrowsCancellationAtTheNextBatch()
    {
        await using var source = await CreateAsync(Accounts(1500));
        await source.OpenAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var batches = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var batch in source.ReadAsync(cts.Token))
            {
                batch.Rows.Dispose();
                batches++;
                await cts.CancelAsync();
            }
        });
        Assert.Equal(1, batches);
    }

    [Fact]
    public async Task DisposeAsync_WithoutReading_DoesNotThrow()
    {
        var source = await CreateAsync(Accounts(10));
        await source.OpenAsync(CancellationToken.None);

        await source.DisposeAsync();
    }
}

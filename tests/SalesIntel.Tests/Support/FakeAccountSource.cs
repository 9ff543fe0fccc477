using System.Runtime.CompilerServices;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources;

namespace SalesIntel.Tests.Support;

/// <summary>A source that yields prepared batches; <see cref="BeforeBatch"/> can delay or fail before batch i.</summary>
public sealed class FakeAccountSource(IReadOnlyList<IReadOnlyList<TestAccount>> batches) : IAccountSource
{
    public Func<int, CancellationToken, Task>? BeforeBatch { get; init; }

    public int BatchesYielded { get; private set; }

    public bool Disposed { get; private set; }

    public ValueTask<SourcePlan> OpenAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new SourcePlan("fake source", AccountSignalsTable.Schema, batches.Sum(b => (long)b.Count), null, []));

    public async IAsyncEnumerable<SourceBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var line = 2;
        for (var i = 0; i < batches.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (BeforeBatch is not null)
            {
                await BeforeBatch(i, cancellationToken);
            }

            yield return TestAccounts.SourceBatch(batches[i], "fake.csv", line);
            line += batches[i].Count;
            BatchesYielded++;
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }

    public static FakeAccountSource Of(int batches, int rowsPerBatch) =>
        new(Enumerable.Range(0, batches).Select(b => (IReadOnlyList<TestAccount>)TestAccounts.Many(rowsPerBatch).Select(a => a with { AccountId = $"acc-{b}-{a.AccountId}" }).ToArray()).ToList());
}

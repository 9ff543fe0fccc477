using SalesIntel.Stages.Sinks;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Sinks;

/// <summary>
/// The commit contract every <see cref="IRecommendationSink"/> meets, the BigQuery sink over the fake and the test fake
/// alike: CompleteAsync publishes every row exactly once and counts it; disposing without it publishes nothing beyond
/// whole chunks a chunked sink had already committed. (The file sinks run the richer, file-specific
/// <c>Files.RecommendationSinkContractTests</c>, which reads each format back.)
/// </summary>
public abstract class RecommendationSinkSeamContractTests : IAsyncLifetime
{
    /// <summary>True when the sink commits every <see cref="ChunkRows"/> rows on its own (the rest waits for CompleteAsync).</summary>
    protected virtual bool ChunkedCommits => false;

    /// <summary>Rows per chunk the sink from <see cref="Create"/> commits; with <see cref="ChunkedCommits"/> false, only sizes the tests.</summary>
    protected virtual int ChunkRows => 100;

    /// <summary>A new sink on the destination (one per test).</summary>
    protected abstract IRecommendationSink Create();

    /// <summary>The account ids the destination has published so far.</summary>
    protected abstract IReadOnlyList<string> Published();

    private static List<SalesIntel.Stages.Model.Recommendation> Rows(int count) =>
        Enumerable.Range(0, count).Select(i => TestRecommendations.Make($"acc-{i:D5}", i % 101)).ToList();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CompleteAsync_PublishesAndCountsEveryRowExactlyOnce()
    {
        var rows = Rows((ChunkRows * 2) + (ChunkRows / 2));
        SinkResult result;
        await using (var sink = Create())
        {
            await sink.PreflightAsync(CancellationToken.None);
            for (var i = 0; i < rows.Count; i += 37)
            {
                await sink.WriteAsync(rows.Skip(i).Take(37).ToList(), CancellationToken.None);
            }

            result = await sink.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(rows.Count, result.RowsCommitted);
        Assert.Empty(result.Rejected);
        Assert.False(string.IsNullOrWhiteSpace(result.Location));
        Assert.Equal(rows.Select(r => r.AccountId).Order(StringComparer.Ordinal), Published().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_PublishesOnlyWholeChunksAlreadyCommitted()
    {
        var rows = Rows((ChunkRows * 2) + (ChunkRows / 2));
        await using (var sink = Create())
        {
            await sink.PreflightAsync(CancellationToken.None);
            await sink.WriteAsync(rows, CancellationToken.None);
        }

        var published = Published();
        if (ChunkedCommits)
        {
            Assert.Equal(ChunkRows * 2, published.Count);
            Assert.Equal(published.Count, published.Distinct().Count());
        }
        else
        {
            Assert.Empty(published);
        }
    }

    [Fact]
    public async Task CompleteAsync_NothingWritten_CommitsZeroRows()
    {
        await using var sink = Create();
        await sink.PreflightAsync(CancellationToken.None);

        var result = await sink.CompleteAsync(CancellationToken.None);

        Assert.Equal(0, result.RowsCommitted);
        Assert.Empty(Published());
    }

    [Fact]
    public async Task Description_NamesTheDestination()
    {
        await using var sink = Create();

        Assert.False(string.IsNullOrWhiteSpace(sink.Description));
    }
}

using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Sinks;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Sinks.Files;

/// <summary>The contract every file sink meets; each format runs the same tests (so no format can drift).</summary>
public abstract class RecommendationSinkContractTests : IDisposable
{
    protected RecommendationSinkContractTests() => Folder = Directory.CreateTempSubdirectory("salesintel-sink-").FullName;

    protected string Folder { get; }

    protected abstract string Extension { get; }

    protected abstract IRecommendationSink Create(string path);

    /// <summary>Reads the published file back as (account_id, score, rationale, actions, input_tokens).</summary>
    protected abstract IReadOnlyList<(string AccountId, long Score, string Rationale, string[] Actions, long? InputTokens)> ReadBack(string path);

    private string PathFor(string name) => Path.Combine(Folder, name + Extension);

    [Fact]
    public async Task CompleteAsync_PublishesEveryRowWithItsValues()
    {
        var path = PathFor("out");
        await using var sink = Create(path);
        await sink.PreflightAsync(CancellationToken.None);
        await sink.WriteAsync([TestRecommendations.Make("a1"), TestRecommendations.Make("a2", 35)], CancellationToken.None);
        await sink.WriteAsync([TestRecommendations.Make("a3", 90)], CancellationToken.None);
        var result = await sink.CompleteAsync(CancellationToken.None);
        Assert.Equal(3, result.RowsCommitted);
        Assert.Empty(result.Rejected);
        var rows = ReadBack(path);
        Assert.Equal(["a1", "a2", "a3"], rows.Select(r => r.AccountId));
        Assert.Equal([72L, 35L, 90L], rows.Select(r => r.Score));
        Assert.Equal(TestRecommendations.Make("x").Rationale, rows[0].Rationale);
        Assert.Equal(["Call them", "Send the deck"], rows[0].Actions);
        Assert.Equal(12, rows[0].InputTokens);
    }

    [Fact]
    public async Task DisposeWithoutComplete_LeavesNoFileBehind()
    {
        var path = PathFor("aborted");
        await using (var sink = Create(path))
        {
            await sink.PreflightAsync(CancellationToken.None);
            await sink.WriteAsync([TestRecommendations.Make("a1")], CancellationToken.None);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder));
    }

    [Fact]
    public async Task SecondRun_ReplacesTheFirstOutput()
    {
        var path = PathFor("rerun");
        foreach (var ids in new[] { new[] { "a1", "a2", "a3" }, ["b1"] })
        {
            await using var sink = Create(path);
            await sink.PreflightAsync(CancellationToken.None);
            await sink.WriteAsync(ids.Select(id => TestRecommendations.Make(id)).ToList(), CancellationToken.None);
            await sink.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(["b1"], ReadBack(path).Select(r => r.AccountId));
        Assert.Single(Directory.EnumerateFileSystemEntries(Folder));
    }

    [Fact]
    public async Task EmptyRun_PublishesAValidEmptyOutput()
    {
        var path = PathFor("empty");
        await using var sink = Create(path);
        await sink.PreflightAsync(CancellationToken.None);
        Assert.Equal(0, (await sink.CompleteAsync(CancellationToken.None)).RowsCommitted);
        Assert.Empty(ReadBack(path));
    }

    [Fact]
    public async Task UnwritableFolder_FailsThePreflightNamingThePath()
    {
        var blocker = Path.Combine(Folder, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");
        var path = Path.Combine(blocker, "out" + Extension);
        await using var sink = Create(path);
        var e = await Assert.ThrowsAsync<SinkException>(async () => await sink.PreflightAsync(CancellationToken.None));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

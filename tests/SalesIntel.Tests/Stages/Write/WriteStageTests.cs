using SalesIntel.Stages.Batching;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.DeadLetters;
using SalesIntel.Stages.Write;
using SalesIntel.Tests.Support;
using Accounts = SalesIntel.Tests.Stages.Scoring.Gemini.TestAccounts;
using Recs = SalesIntel.Tests.Support.TestRecommendations;

namespace SalesIntel.Tests.Stages.Write;

public sealed class WriteStageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("salesintel-write-").FullName;
    private readonly RunCounters _counters = new();
    private readonly DeadLetterFile _deadLetters;

    public WriteStageTests() => _deadLetters = DeadLetterFile.Create(Path.Combine(_folder, "dead.jsonl"));

    private WriteStage Stage(FakeSink sink, int batchRows = 100) => new(sink, new RecommendationBatcher(batchRows, long.MaxValue), _counters, _deadLetters);

    private static ScoreOutcome Scored(string id) => ScoreOutcome.Scored(Accounts.Record(id), Recs.Make(id));

    [Fact]
    public async Task ProcessAsync_WritesFullBatchesOnly_AndCompleteFlushesTheRest()
    {
        var sink = new FakeSink();
        var stage = Stage(sink, batchRows: 4);
        await stage.ProcessAsync([.. Enumerable.Range(0, 10).Select(i => Scored($"acc-{i}"))], CancellationToken.None);
        Assert.Equal(2, sink.Writes);
        Assert.Empty(sink.Committed);

        var result = await stage.CompleteAsync(CancellationToken.None);
        Assert.Equal(3, sink.Writes);
        Assert.Equal(10, result.RowsCommitted);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"acc-{i}"), sink.Committed.Select(r => r.AccountId));
        Assert.Equal((10L, 10L), (_counters.Scored, _counters.Written));
    }

    [Fact]
    public async Task ProcessAsync_DeadLettersFailuresAndCountsNotScoredByReason()
    {
        var stage = Stage(new FakeSink());
        await stage.ProcessAsync(
            [Scored("a"), ScoreOutcome.Failed(Accounts.Record("b"), "invalid_answer", "no JSON"), ScoreOutcome.NotScored(Accounts.Record("c"), "max_llm_calls_reached")],
            CancellationToken.None);
        _deadLetters.Complete();
        Assert.Equal((1L, 1L, 1L), (_counters.Scored, _counters.DeadLettered, _counters.Skipped));
        Assert.Equal(1, _counters.SkipReasons["max_llm_calls_reached"]);
        Assert.Equal(1, _counters.DeadLetterReasons["invalid_answer"]);
        Assert.Contains("\"b\"", Assert.Single(File.ReadAllLines(Path.Combine(_folder, "dead.jsonl"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteAsync_DeadLettersRowsTheSinkRejected()
    {
        var sink = new FakeSink { Reject = ["b"] };
        var stage = Stage(sink);
        await stage.ProcessAsync([Scored("a"), Scored("b")], CancellationToken.None);
        var result = await stage.CompleteAsync(CancellationToken.None);
        Assert.Equal("b", Assert.Single(result.Rejected).AccountId);
        Assert.Equal((1L, 1L, 1L), (_counters.Written, _counters.DeadLettered, _counters.SinkRejected));
    }

    public void Dispose()
    {
        _deadLetters.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}

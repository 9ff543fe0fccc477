using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SalesIntel.Pipeline.Hosting;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Scoring.Rules;
using SalesIntel.Stages.Sinks.DeadLetters;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Hosting;

public sealed class ScorePipelineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("salesintel-pipeline-").FullName;
    private readonly RunCounters _counters = new();
    private readonly FakeSink _sink = new();

    private async Task<PipelineResult> Run(FakeAccountSource source, IScorer scorer, PipelineOptions? options = null, StopSignal? stop = null)
    {
        using var deadLetters = DeadLetterFile.Create(Path.Combine(_folder, "dead.jsonl"));
        using var ownStop = new StopSignal();
        stop ??= ownStop;
        var pipeline = new ScorePipeline(source, scorer, _sink, deadLetters, options ?? new PipelineOptions { Dates = DateRange.All, SinkBatchRows = 100 }, _counters, NullLogger.Instance);
        var result = await pipeline.RunAsync(stop.StopReading, stop.Abort).WaitAsync(TimeSpan.FromSeconds(30));
        deadLetters.Complete();
        return result;
    }

    private string[] DeadLetterLines() => File.ReadAllLines(Path.Combine(_folder, "dead.jsonl"));

    private void AssertBalanced() => Assert.Equal(_counters.Read, _counters.Written + _counters.Skipped + _counters.DeadLettered);

    [Fact]
    public async Task Run_ScoresEveryRowOnce_AndTheBooksBalance()
    {
        var result = await Run(FakeAccountSource.Of(batches: 5, rowsPerBatch: 300), new RulesScorer("run", new FakeTimeProvider()));
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(1500, _counters.Read);
        Assert.Equal(1500, _sink.Committed.Count);
        Assert.Equal(1500, _sink.Committed.Select(r => r.AccountId).Distinct().Count());
        Assert.True(_sink.Writes >= 15, "sink writes are batched by --batch-rows");
        AssertBalanced();
    }

    [Fact]
    public async Task Run_PreservesSourceOrder()
    {
        var source = FakeAccountSource.Of(batches: 3, rowsPerBatch: 50);
        await Run(source, new FakeScorer { MaxParallelism = 8 });
        var expected = Enumerable.Range(0, 3).SelectMany(b => Enumerable.Range(0, 50).Select(i => $"acc-{b}-acc-{i:D6}"));
        Assert.Equal(expected, _sink.Committed.Select(r => r.AccountId));
    }

    [Fact]
    public async Task Run_DecodeScoreAndSinkFailures_AreDeadLetteredWithReasons()
    {
        var rows = TestAccounts.Many(10).ToList();
        rows[3] = rows[3] with { AccountId = null };
        var scorer = new FakeScorer
        {
            OnScore = (r, _) => ValueTask.FromResult(r.Signals.AccountId == "acc-000005"
                ? ScoreOutcome.Failed(r, "invalid_answer", "score 140 is outside 0-100", raw: "{\"score\":140}")
                : ScoreOutcome.Scored(r, FakeScorer.Recommend(r, 50))),
        };
        var sink = _sink.Reject;
        sink.Add("acc-000007");
        var result = await Run(new FakeAccountSource([rows]), scorer);
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(10, _counters.Read);
        Assert.Equal(7, _counters.Written);
        Assert.Equal(3, _counters.DeadLettered);
        Assert.Equal(1, _counters.SinkRejected);
        AssertBalanced();
        var lines = DeadLetterLines();
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("\"stage\":\"sink\"", StringComparison.Ordinal) && l.Contains("acc-000007", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"reason\":\"missing_account_id\"", StringComparison.Ordinal) && l.Contains("\"position\":\"line 5\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"reason\":\"invalid_answer\"", StringComparison.Ordinal) && l.Contains("acc-000005", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_Limit_ScoresExactlyNAndStopsReading()
    {
        var source = FakeAccountSource.Of(batches: 50, rowsPerBatch: 100);
        var result = await Run(source, new RulesScorer("run", new FakeTimeProvider()), new PipelineOptions { Dates = DateRange.All, Limit = 250 });
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(250, _sink.Committed.Count);
        Assert.Equal(250, _counters.Read);
        Assert.True(source.BatchesYielded < 50, $"the source kept reading: {source.BatchesYielded} batches");
        AssertBalanced();
    }

    [Fact]
    public async Task Run_MoreRowsThanMaxRows_FailsWithTheGuardAndCommitsNothing()
    {
        var result = await Run(FakeAccountSource.Of(batches: 5, rowsPerBatch: 100), new RulesScorer("run", new FakeTimeProvider()), new PipelineOptions { Dates = DateRange.All, MaxRows = 250 });
        Assert.Equal(RunStatus.Failed, result.Status);
        var guard = Assert.IsType<GuardTrippedException>(result.Failure);
        Assert.Contains("--max-rows", guard.Message, StringComparison.Ordinal);
        Assert.Empty(_sink.Committed);
    }

    [Fact]
    public async Task Run_StopRequestedMidway_FinishesInFlightWorkAndCommitsIt()
    {
        using var stop = new StopSignal();
        var source = new FakeAccountSource(Enumerable.Range(0, 10).Select(b => (IReadOnlyList<TestAccount>)TestAccounts.Many(100).Select(a => a with { AccountId = $"{b}-{a.AccountId}" }).ToArray()).ToList())
        {
            BeforeBatch = async (i, token) =>
            {
                if (i == 3)
                {
                    stop.Request();
                    await Task.Delay(Timeout.Infinite, token);
                }
            },
        };
        var result = await Run(source, new RulesScorer("run", new FakeTimeProvider()), stop: stop);
        Assert.Equal(RunStatus.Stopped, result.Status);
        Assert.Equal(300, _counters.Read);
        Assert.Equal(300, _sink.Committed.Count);
        AssertBalanced();
    }

    [Fact]
    public async Task Run_StopRequestedBeforeStart_ReadsNothingAndCommitsAnEmptyOutput()
    {
        using var stop = new StopSignal();
        stop.Request();
        var result = await Run(FakeAccountSource.Of(3, 10), new RulesScorer("run", new FakeTimeProvider()), stop: stop);
        Assert.Equal(RunStatus.Stopped, result.Status);
        Assert.Equal(0, _counters.Read);
        Assert.Equal(0, result.Sink!.RowsCommitted);
    }

    [Fact]
    public async Task Run_AbortWhileScoring_AbandonsInFlightWorkAndCommitsNothing()
    {
        using var stop = new StopSignal();
        var started = new TaskCompletionSource();
        var scorer = new FakeScorer
        {
            OnScore = async (r, token) =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, token);
                return ScoreOutcome.Scored(r, FakeScorer.Recommend(r, 1));
            },
        };
        var run = Run(FakeAccountSource.Of(2, 10), scorer, stop: stop);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        stop.Request();
        stop.Request();
        var result = await run;
        Assert.Equal(RunStatus.Aborted, result.Status);
        Assert.Empty(_sink.Committed);
        Assert.True(_counters.Abandoned > 0);
    }

    [Fact]
    public async Task Run_ScorerCannotGoOn_FailsWithItsErrorAndCommitsNothing()
    {
        var scorer = new FakeScorer
        {
            OnScore = (r, _) => r.Signals.AccountId.EndsWith("05", StringComparison.Ordinal)
                ? throw new ScorerException("circuit open: 20 consecutive failures from the model endpoint")
                : ValueTask.FromResult(ScoreOutcome.Scored(r, FakeScorer.Recommend(r, 50))),
        };
        var result = await Run(FakeAccountSource.Of(20, 50), scorer);
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.IsType<ScorerException>(result.Failure);
        Assert.Empty(_sink.Committed);
    }

    [Fact]
    public async Task Run_SourceFailsMidStream_FailsWithTheSourceError()
    {
        var source = new FakeAccountSource(Enumerable.Range(0, 5).Select(_ => (IReadOnlyList<TestAccount>)TestAccounts.Many(10)).ToList())
        {
            BeforeBatch = (i, _) => i == 2 ? throw new SourceException("stream 3 of bq://p.d.t: PERMISSION_DENIED") : Task.CompletedTask,
        };
        var result = await Run(source, new RulesScorer("run", new FakeTimeProvider()));
        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("PERMISSION_DENIED", Assert.IsType<SourceException>(result.Failure).Message, StringComparison.Ordinal);
        Assert.Empty(_sink.Committed);
    }

    [Fact]
    public async Task Run_NotScoredOutcomes_CountAsSkippedWithTheirReason()
    {
        var scorer = new FakeScorer { OnScore = (r, _) => ValueTask.FromResult(ScoreOutcome.NotScored(r, "max_llm_calls_reached")) };
        await Run(FakeAccountSource.Of(1, 20), scorer);
        Assert.Equal(20, _counters.Skipped);
        Assert.Equal(20, _counters.SkipReasons["max_llm_calls_reached"]);
        AssertBalanced();
    }

    [Fact]
    public async Task Run_LatencyVariesAndOneRecordIsSlow_LaterBatchesAreScoredMeanwhile()
    {
        // The first record is held until every other record has been scored: in source order the bounded score
        // block would hold the finished ones behind it and never take the last, so the run could not end.
        const int rows = 200;
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var others = 0;
        var scorer = new FakeScorer
        {
            MaxParallelism = 2,
            LatencyVaries = true,
            OnScore = async (r, token) =>
            {
                if (r.Signals.AccountId == "acc-0-acc-000001")
                {
                    await othersDone.Task.WaitAsync(token);
                }
                else if (Interlocked.Increment(ref others) == rows - 1)
                {
                    othersDone.SetResult();
                }

                return ScoreOutcome.Scored(r, FakeScorer.Recommend(r, 50));
            },
        };
        var result = await Run(FakeAccountSource.Of(batches: 4, rowsPerBatch: rows / 4), scorer);
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(rows, _sink.Committed.Select(r => r.AccountId).Distinct().Count());
        Assert.Equal("acc-0-acc-000001", _sink.Committed[^1].AccountId);
        AssertBalanced();
    }

    [Fact]
    public void ScoreWorkers_LatencyVaries_EightPerSlotOtherwiseTheScorersParallelism()
    {
        Assert.Equal(4, ScorePipeline.ScoreWorkers(new FakeScorer { MaxParallelism = 4 }));
        Assert.Equal(32, ScorePipeline.ScoreWorkers(new FakeScorer { MaxParallelism = 4, LatencyVaries = true }));
        Assert.Equal(PipelineDefaults.MaxScoreWorkers, ScorePipeline.ScoreWorkers(new FakeScorer { MaxParallelism = 4096, LatencyVaries = true }));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Stages.Sinks.BigQuery.Internal;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery;

public sealed class BigQuerySinkTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Complete_After2500RowsWithChunksOf1000_CommitsEveryRowExactlyOnceInThreeChunks()
    {
        await using var h = await SinkHarness.StartAsync();
        var rows = TestRecommendations.Range(0, 2500);
        SalesIntel.Stages.Sinks.SinkResult result;
        await using (var sink = h.Sink(h.Options(commitRows: 1000)))
        {
            await SinkHarness.WriteInBatchesAsync(sink, rows, 300);
            Assert.Equal(2000, h.Fake.CommittedRowCount(FakeBigQueryWriteServer.TableName));
            result = await sink.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(2500, result.RowsCommitted);
        Assert.Empty(result.Rejected);
        Assert.Equal(FakeBigQueryWriteServer.TableUri, result.Location);
        Assert.Equal(3, h.Fake.Commits);
        Assert.Equal(0, h.Fake.UncommittedRowCount);
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId));
    }

    [Fact]
    public async Task Rows_DecodedWithTheSentDescriptor_CarryEveryColumnWithBigQueryEncodings()
    {
        await using var h = await SinkHarness.StartAsync();
        var rows = TestRecommendations.Range(0, 10);
        await using (var sink = h.Sink())
        {
            await sink.WriteAsync(rows, CancellationToken.None);
            await sink.CompleteAsync(CancellationToken.None);
        }

        var byId = h.Committed.ToDictionary(r => r.AccountId);
        foreach (var want in rows)
        {
            var got = byId[want.AccountId];
            Assert.Equal(want.ScoreDate, got.ScoreDate);
            Assert.Equal((long)want.Score, got["score"]);
            Assert.Equal(want.Tier, got["tier"]);
            Assert.Equal(want.Rationale, got["rationale"]);
            Assert.Equal(want.RecommendedActions, ((List<object?>)got["recommended_actions"]!).Cast<string>());
            Assert.Equal(want.Confidence, got["confidence"]);
            Assert.Equal(want.Scorer, got["scorer"]);
            Assert.Equal(want.Model, got["model"]);
            Assert.Equal(want.PromptVersion, got["prompt_version"]);
            Assert.Equal(want.InputHash, got["input_hash"]);
            Assert.Equal(want.RunId, got.RunId);
            Assert.Equal((want.ScoredAt - DateTimeOffset.UnixEpoch).Ticks / 10, got["scored_at"]);
            Assert.Equal(want.LatencyMs, (long?)got["latency_ms"]);
            Assert.Equal(want.InputTokens, (long?)got["input_tokens"]);
            Assert.Equal(want.OutputTokens, (long?)got["output_tokens"]);
            Assert.Equal(want.ThinkingTokens, (long?)got["thinking_tokens"]);
            Assert.Equal(want.MaterialHash, got.Values.GetValueOrDefault("material_hash"));
            Assert.Equal(want.CarriedFrom is { } carried ? RecommendationRowEncoder.ToEpochDays(carried) : null, (int?)got.Values.GetValueOrDefault("carried_from"));
        }

        // Zero values are written (proto2 presence): score 0 and confidence 0 are not NULL.
        Assert.Equal(0L, byId[TestRecommendations.AccountId(0)]["score"]);
        Assert.Equal(0.0, byId[TestRecommendations.AccountId(0)]["confidence"]);
        Assert.False(byId[TestRecommendations.AccountId(1)].Values.ContainsKey("model"));
    }

    [Fact]
    public async Task Calls_CarryTheRoutingHeaderOfTheirResource()
    {
        await using var h = await SinkHarness.StartAsync();
        await using (var sink = h.Sink())
        {
            await sink.PreflightAsync(CancellationToken.None);
            await sink.WriteAsync(TestRecommendations.Range(0, 5), CancellationToken.None);
            await sink.CompleteAsync(CancellationToken.None);
        }

        var table = FakeBigQueryWriteServer.TableName;
        var stream = Assert.Single(h.Fake.Streams).Name;
        var calls = h.Fake.Calls.ToDictionary(c => c.Method, c => c.RoutingParams);
        Assert.Equal($"name={table}/streams/_default", calls["GetWriteStream"]);
        Assert.Equal($"parent={table}", calls["CreateWriteStream"]);
        Assert.Equal($"write_stream={stream}", calls["AppendRows"]);
        Assert.Equal($"name={stream}", calls["FinalizeWriteStream"]);
        Assert.Equal($"parent={table}", calls["BatchCommitWriteStreams"]);
    }

    [Fact]
    public async Task Appends_WhileTheServerHoldsTheFirstAnswer_KeepSendingUpToTheInflightLimit()
    {
        await using var h = await SinkHarness.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Fake.BeforeAppendAsync = n =>
        {
            if (n != 1)
            {
                return Task.CompletedTask;
            }

            firstArrived.TrySetResult();
            return release.Task;
        };
        var rows = TestRecommendations.Range(0, 600);
        await using var sink = h.Sink(h.Options(maxInflight: 8));

        // Six requests are on the wire while the first one is unanswered: the writes return without any answer.
        // The fake records an append when it arrives, which can be after the writes return on a loaded machine.
        await SinkHarness.WriteInBatchesAsync(sink, rows, 100).WaitAsync(Guard);
        await firstArrived.Task.WaitAsync(Guard);
        Assert.Single(h.Fake.Appends);
        release.SetResult();
        var result = await sink.CompleteAsync(CancellationToken.None).AsTask().WaitAsync(Guard);

        Assert.Equal(600, result.RowsCommitted);
        Assert.Equal(6, h.Fake.Appends.Count);
        Assert.Single(h.Fake.Appends, a => a.HadSchema);
        Assert.Equal([0L, 100, 200, 300, 400, 500], h.Fake.Appends.Select(a => a.Offset!.Value));
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId));
    }

    [Fact]
    public async Task Appends_WithTheInflightLimitReached_WaitForAnAnswerBeforeSendingMore()
    {
        await using var h = await SinkHarness.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Fake.BeforeAppendAsync = n => n == 1 ? release.Task : Task.CompletedTask;
        await using var sink = h.Sink(h.Options(maxInflight: 2));
        await sink.WriteAsync(TestRecommendations.Range(0, 10), CancellationToken.None);
        await sink.WriteAsync(TestRecommendations.Range(10, 10), CancellationToken.None);

        // Two requests are in flight and the first is held: the third cannot go out until an answer arrives.
        var third = sink.WriteAsync(TestRecommendations.Range(20, 10), CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        release.SetResult();
        await third.WaitAsync(Guard);
        var result = await sink.CompleteAsync(CancellationToken.None);
        Assert.Equal(30, result.RowsCommitted);
    }

    [Fact]
    public async Task Requests_OverTheByteLimit_AreSplitAndEachStaysUnderIt()
    {
        await using var h = await SinkHarness.StartAsync();
        const int limit = 16 * 1024;
        h.Fake.MaxRequestBytes = limit;
        var rows = TestRecommendations.Range(0, 1000);
        SalesIntel.Stages.Sinks.SinkResult result;
        await using (var sink = h.Sink(h.Options(commitRows: 5000, maxRequestBytes: limit)))
        {
            await sink.WriteAsync(rows, CancellationToken.None);
            result = await sink.CompleteAsync(CancellationToken.None);
        }

        var appends = h.Fake.Appends;
        Assert.True(appends.Count >= 15, $"only {appends.Count} requests for ~300 KB of rows");
        Assert.All(appends, a => Assert.True(a.Bytes <= limit, $"request of {a.Bytes} bytes"));
        Assert.True(appends.Max(a => a.Bytes) > limit * 3 / 4, "requests should be filled close to the limit");
        Assert.Equal(1000, result.RowsCommitted);
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId));
    }

    [Fact]
    public async Task Row_LargerThanARequest_IsRejectedAsTooLargeAndTheRestCommitted()
    {
        await using var h = await SinkHarness.StartAsync();
        var rows = TestRecommendations.Range(0, 20);
        rows[7] = rows[7] with { Rationale = new string('x', 20_000) };
        SalesIntel.Stages.Sinks.SinkResult result;
        await using (var sink = h.Sink(h.Options(maxRequestBytes: 8 * 1024)))
        {
            await sink.WriteAsync(rows, CancellationToken.None);
            result = await sink.CompleteAsync(CancellationToken.None);
        }

        var dead = Assert.Single(result.Rejected);
        Assert.Equal("row_too_large", dead.Reason);
        Assert.Equal("sink", dead.Stage);
        Assert.Equal(rows[7].AccountId, dead.AccountId);
        Assert.Contains("8192-byte request limit", dead.Message, StringComparison.Ordinal);
        Assert.Equal(19, result.RowsCommitted);
    }

    [Fact]
    public async Task Dispose_WithoutComplete_AbortsTheOpenChunkAndKeepsCommittedOnes()
    {
        await using var h = await SinkHarness.StartAsync();
        var rows = TestRecommendations.Range(0, 500);
        await using (var sink = h.Sink(h.Options(commitRows: 200)))
        {
            await sink.WriteAsync(rows, CancellationToken.None);
        }

        Assert.Equal(2, h.Fake.Commits);
        h.AssertCommittedExactlyOnce(rows.Take(400).Select(r => r.AccountId));
        var open = h.Fake.Streams.Single(s => s.CommitTime is null);
        Assert.False(open.Finalized);
        Assert.Equal(2, h.Fake.Calls.Count(c => c.Method == "FinalizeWriteStream"));
    }

    [Fact]
    public async Task Dispose_OfASinkThatWroteOneChunk_CommitsNothing()
    {
        await using var h = await SinkHarness.StartAsync();
        await using (var sink = h.Sink())
        {
            await sink.WriteAsync(TestRecommendations.Range(0, 50), CancellationToken.None);
        }

        Assert.Equal(0, h.Fake.Commits);
        Assert.Empty(h.Committed);
        Assert.DoesNotContain(h.Fake.Calls, c => c.Method is "FinalizeWriteStream" or "BatchCommitWriteStreams");
    }

    [Fact]
    public async Task CommitInterval_Elapsed_CommitsTheOpenChunkWithoutAnotherWrite()
    {
        await using var h = await SinkHarness.StartAsync();
        await using var sink = h.Sink(h.Options(commitRows: 100_000, commitInterval: TimeSpan.FromSeconds(60)));
        await sink.WriteAsync(TestRecommendations.Range(0, 40), CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, h.Fake.Commits);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Fake.WaitForCommitsAsync(1).WaitAsync(Guard);
        Assert.Equal(40, h.Committed.Count);

        await sink.WriteAsync(TestRecommendations.Range(40, 10), CancellationToken.None);
        var result = await sink.CompleteAsync(CancellationToken.None);
        Assert.Equal(50, result.RowsCommitted);
        Assert.Equal(2, h.Fake.Commits);
        h.AssertCommittedExactlyOnce(TestRecommendations.Range(0, 50).Select(r => r.AccountId));
    }

    [Fact]
    public async Task Write_CancelledBeforeStart_ThrowsOperationCanceledAndWritesNothing()
    {
        await using var h = await SinkHarness.StartAsync();
        await using var sink = h.Sink();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sink.WriteAsync(TestRecommendations.Range(0, 5), cancelled.Token).AsTask());
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task Write_CancelledWhileWaitingForAnswers_ThenComplete_CommitsEveryRowOnce()
    {
        await using var h = await SinkHarness.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Fake.BeforeAppendAsync = n => n == 1 ? release.Task : Task.CompletedTask;
        await using var sink = h.Sink(h.Options(maxInflight: 1));
        await sink.WriteAsync(TestRecommendations.Range(0, 10), CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var blocked = sink.WriteAsync(TestRecommendations.Range(10, 10), cts.Token).AsTask();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(Guard));
        release.SetResult();
        var result = await sink.CompleteAsync(CancellationToken.None).AsTask().WaitAsync(Guard);

        Assert.Equal(20, result.RowsCommitted);
        h.AssertCommittedExactlyOnce(TestRecommendations.Range(0, 20).Select(r => r.AccountId));
    }

    [Fact]
    public async Task Write_AfterComplete_IsRefused()
    {
        await using var h = await SinkHarness.StartAsync();
        await using var sink = h.Sink();
        await sink.CompleteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.WriteAsync(TestRecommendations.Range(0, 1), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Complete_WithNothingWritten_CommitsNothingAndCreatesNoStream()
    {
        await using var h = await SinkHarness.StartAsync();
        await using var sink = h.Sink();

        var result = await sink.CompleteAsync(CancellationToken.None);

        Assert.Equal(0, result.RowsCommitted);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public void Description_NamesTableAndCommitPolicy()
    {
        var sink = new BigQuerySink(new BigQuerySinkOptions { Table = "bq://my-project.sales.recs", EmulatorHost = "127.0.0.1:1", CommitRows = 5000, CommitInterval = TimeSpan.FromSeconds(30) });

        Assert.Equal("bq://my-project.sales.recs (BigQuery Storage Write API, PENDING streams committed every 5,000 rows or 30 s)", sink.Description);
    }

    [Fact]
    public void Constructor_WithBadOptions_NamesEveryBadValueInOneMessage()
    {
        var options = new BigQuerySinkOptions { Table = "my-project.sales.recs", CommitRows = 0, MaxRequestBytes = 30_000_000, CommitInterval = TimeSpan.Zero };

        var e = Assert.Throws<ConfigurationException>(() => new BigQuerySink(options));

        Assert.Contains("--sink 'my-project.sales.recs' is not a BigQuery table", e.Message, StringComparison.Ordinal);
        Assert.Contains("--commit-rows 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("--commit-seconds 0", e.Message, StringComparison.Ordinal);
        Assert.Contains("max request bytes 30000000", e.Message, StringComparison.Ordinal);
    }
}

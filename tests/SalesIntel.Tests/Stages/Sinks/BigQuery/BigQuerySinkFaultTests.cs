using Grpc.Core;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Sinks;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery;

/// <summary>Faults at every step of the write path: nothing lost, nothing duplicated, failures named.</summary>
public sealed class BigQuerySinkFaultTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    public static TheoryData<AppendFaultKind, int> ConnectionFaults => new()
    {
        { AppendFaultKind.DropBeforeProcessing, 1 },
        { AppendFaultKind.DropBeforeProcessing, 4 },
        { AppendFaultKind.DropAfterProcessing, 1 },
        { AppendFaultKind.DropAfterProcessing, 4 },
        { AppendFaultKind.ResetBeforeProcessing, 3 },
    };

    [Theory]
    [MemberData(nameof(ConnectionFaults))]
    public async Task AppendConnection_LostAtRequestK_ReconnectsResendsAndCommitsEveryRowOnce(AppendFaultKind kind, int k)
    {
        await using var h = await SinkHarness.StartAsync();
        h.Fake.OnAppend = n => n == k ? new AppendFault(kind) : null;
        var rows = TestRecommendations.Range(0, 1000);
        SinkResult result;
        await using (var sink = h.Sink(h.Options(commitRows: 400)))
        {
            await SinkHarness.WriteInBatchesAsync(sink, rows, 50);
            result = await sink.CompleteAsync(CancellationToken.None).AsTask().WaitAsync(Guard);
            Assert.True(sink.Statistics.Reconnects >= 1);
            if (kind == AppendFaultKind.DropAfterProcessing)
            {
                // The request had landed; its resend is answered ALREADY_EXISTS and counted once.
                Assert.True(sink.Statistics.AlreadyExisted >= 1);
            }
        }

        Assert.Equal(1000, result.RowsCommitted);
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId));
        Assert.True(h.Fake.Appends.Count(a => a.HadSchema) >= 4, "a new connection sends the writer schema again");
    }

    [Fact]
    public async Task AppendConnection_DroppedRepeatedly_StillCommitsEveryRowOnce()
    {
        await using var h = await SinkHarness.StartAsync();
        h.Fake.OnAppend = n => n % 7 == 0 ? new AppendFault(n % 2 == 0 ? AppendFaultKind.DropAfterProcessing : AppendFaultKind.DropBeforeProcessing) : null;
        var rows = TestRecommendations.Range(0, 2000);
        SinkResult result;
        await using (var sink = h.Sink(h.Options(commitRows: 700, maxInflight: 4, retryBudget: 200)))
        {
            await SinkHarness.WriteInBatchesAsync(sink, rows, 40);
            result = await sink.CompleteAsync(CancellationToken.None).AsTask().WaitAsync(Guard);
        }

        Assert.Equal(2000, result.RowsCommitted);
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId));
    }

    [Theory]
    [InlineData(StatusCode.OutOfRange)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Aborted)]
    public async Task AppendAnsweredInBandWithRetryableError_ResyncsFromTheLastAckAndCommitsOnce(StatusCode code)
    {
        await using var h = await SinkHarness.StartAsync();
        h.Fake.OnAppend = n => n == 2 ? new AppendFault(AppendFaultKind.InBandError, code) : null;
        var rows = TestRecommendations.Range(0, 600);
        SinkResult result;
        await using (var sink = h.Sink(h.Options(maxInflight: 8)))
        {
            await SinkHarness.WriteInBatchesAsync(sink, rows, 50);
            result = await sink.CompleteAsync(CancellationToken.None).AsTask().WaitAsync(Guard);
        }

        Assert.Equal(600, result.RowsCommitted);
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId));
        // Requests 3.. were in flight behind the failed one: answered OUT_OF_RANGE, swallowed, and resent.
        Assert.Equal(2, h.Fake.Appends.Count(a => a.Offset == 50));
    }

    [Fact]
    public async Task AppendAnsweredInBandWithInvalidArgument_FailsTheRunAndCommitsNothingOfTheChunk()
    {
        await using var h = await SinkHarness.StartAsync();
        h.Fake.OnAppend = n => n == 2 ? new AppendFault(AppendFaultKind.InBandError, StatusCode.InvalidArgument) : null;
        await using var sink = h.Sink();
        var e = await Assert.ThrowsAsync<SinkException>(async () =>
        {
            await SinkHarness.WriteInBatchesAsync(sink, TestRecommendations.Range(0, 300), 50);
            await sink.CompleteAsync(CancellationToken.None);
        });

        Assert.Contains("InvalidArgument", e.Message, StringComparison.Ordinal);
        Assert.Contains("offset 50", e.Message, StringComparison.Ordinal);
        Assert.Empty(h.Committed);
        await Assert.ThrowsAsync<SinkException>(() => sink.CompleteAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task RowsRejectedByBigQuery_BecomeDeadLettersAndTheRestIsCommittedOnce()
    {
        await using var h = await SinkHarness.StartAsync();
        var bad = new HashSet<string> { TestRecommendations.AccountId(42), TestRecommendations.AccountId(43), TestRecommendations.AccountId(377) };
        h.Fake.RejectRow = row => bad.Contains(row.AccountId) ? $"Field tier: value for {row.AccountId} is not allowed" : null;
        var rows = TestRecommendations.Range(0, 500);
        SinkResult result;
        await using (var sink = h.Sink(h.Options(commitRows: 300, maxInflight: 8)))
        {
            await SinkHarness.WriteInBatchesAsync(sink, rows, 25);
            result = await sink.CompleteAsync(CancellationToken.None).AsTask().WaitAsync(Guard);
            Assert.Equal(3, sink.Statistics.RowsRejected);
        }

        Assert.Equal(497, result.RowsCommitted);
        Assert.Equal(bad.Order(), result.Rejected.Select(d => d.AccountId!).Order());
        Assert.All(result.Rejected, d =>
        {
            Assert.Equal("sink", d.Stage);
            Assert.Equal("bigquery_row_error", d.Reason);
            Assert.Contains($"value for {d.AccountId} is not allowed", d.Message, StringComparison.Ordinal);
            Assert.Contains("FieldsError", d.Message, StringComparison.Ordinal);
            Assert.Equal(FakeBigQueryWriteServer.TableUri, d.Position.Location);
        });
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId).Where(a => !bad.Contains(a)));
    }

    [Fact]
    public async Task RowRejected_WhenItWasTheWholeRequest_TheRequestIsDroppedAndTheRestCommitted()
    {
        await using var h = await SinkHarness.StartAsync();
        h.Fake.RejectRow = row => row.AccountId == TestRecommendations.AccountId(3) ? "bad row" : null;
        var rows = TestRecommendations.Range(0, 10);
        SinkResult result;
        await using (var sink = h.Sink())
        {
            foreach (var row in rows)
            {
                await sink.WriteAsync([row], CancellationToken.None);
            }

            result = await sink.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(9, result.RowsCommitted);
        Assert.Equal(TestRecommendations.AccountId(3), Assert.Single(result.Rejected).AccountId);
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId).Where(a => a != TestRecommendations.AccountId(3)));
    }

    [Fact]
    public async Task Commit_WithStreamErrors_FailsTheChunkWithTheirTextAndShowsNothingOfIt()
    {
        await using var h = await SinkHarness.StartAsync();
        var commits = 0;
        h.Fake.CommitErrors = request => ++commits == 2
            ? [new StorageError { Code = StorageError.Types.StorageErrorCode.InvalidStreamState, Entity = request.WriteStreams[0], ErrorMessage = "stream expired" }]
            : null;
        var rows = TestRecommendations.Range(0, 500);
        await using var sink = h.Sink(h.Options(commitRows: 200));

        var e = await Assert.ThrowsAsync<SinkException>(() => SinkHarness.WriteInBatchesAsync(sink, rows, 100));

        Assert.Contains("commit of chunk 2 (200 rows", e.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidStreamState", e.Message, StringComparison.Ordinal);
        Assert.Contains("stream expired", e.Message, StringComparison.Ordinal);
        h.AssertCommittedExactlyOnce(rows.Take(200).Select(r => r.AccountId));
        var again = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(rows, CancellationToken.None).AsTask());
        Assert.Same(e, again);
    }

    [Fact]
    public async Task Commit_WhoseAnswerIsLost_IsRetriedRecognisedAsAlreadyCommittedAndCountedOnce()
    {
        await using var h = await SinkHarness.StartAsync();
        var failed = false;
        h.Fake.OnUnary = method => method == "BatchCommitWriteStreams" && !failed && (failed = true) ? new UnaryFault(StatusCode.Unavailable, AfterProcessing: true) : null;
        var rows = TestRecommendations.Range(0, 100);
        SinkResult result;
        await using (var sink = h.Sink())
        {
            await sink.WriteAsync(rows, CancellationToken.None);
            result = await sink.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(100, result.RowsCommitted);
        Assert.Equal(2, h.Fake.Calls.Count(c => c.Method == "BatchCommitWriteStreams"));
        Assert.Contains(h.Fake.Calls, c => c.Method == "GetWriteStream");
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId));
    }

    [Theory]
    [InlineData("CreateWriteStream", false)]
    [InlineData("FinalizeWriteStream", false)]
    [InlineData("FinalizeWriteStream", true)]
    [InlineData("BatchCommitWriteStreams", false)]
    public async Task UnaryCall_Unavailable_IsRetriedAndEveryRowCommittedOnce(string method, bool afterProcessing)
    {
        await using var h = await SinkHarness.StartAsync();
        var failures = 0;
        h.Fake.OnUnary = m => m == method && failures++ < 2 ? new UnaryFault(StatusCode.Unavailable, AfterProcessing: afterProcessing) : null;
        var rows = TestRecommendations.Range(0, 300);
        SinkResult result;
        await using (var sink = h.Sink(h.Options(commitRows: 150)))
        {
            await SinkHarness.WriteInBatchesAsync(sink, rows, 50);
            result = await sink.CompleteAsync(CancellationToken.None);
            Assert.Equal(2, sink.Statistics.Retries);
        }

        Assert.Equal(300, result.RowsCommitted);
        h.AssertCommittedExactlyOnce(rows.Select(r => r.AccountId));
    }

    [Fact]
    public async Task RetryBudget_UsedUp_FailsWithAMessageNamingTheBudget()
    {
        await using var h = await SinkHarness.StartAsync();
        h.Fake.OnUnary = m => m == "CreateWriteStream" ? new UnaryFault(StatusCode.Unavailable, "backend unavailable") : null;
        await using var sink = h.Sink(h.Options(retryBudget: 3, maxRetryAttempts: 10));

        var e = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(TestRecommendations.Range(0, 5), CancellationToken.None).AsTask());

        Assert.True(e.IsTransient);
        Assert.Contains("CreateWriteStream on bq://fake-project.sales.account_recommendations failed: Unavailable backend unavailable", e.Message, StringComparison.Ordinal);
        Assert.Contains("retry budget of 3 used up", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, h.Fake.Calls.Count(c => c.Method == "CreateWriteStream"));
    }

    [Fact]
    public async Task CreateWriteStream_Unauthenticated_FailsAtOnceWithTheSharedCredentialsHint()
    {
        await using var h = await SinkHarness.StartAsync();
        h.Fake.OnUnary = m => m == "CreateWriteStream" ? new UnaryFault(StatusCode.Unauthenticated, "token expired") : null;
        await using var sink = h.Sink();

        var e = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(TestRecommendations.Range(0, 5), CancellationToken.None).AsTask());

        Assert.False(e.IsTransient);
        Assert.Contains("not authenticated (token expired); " + SalesIntel.Stages.GoogleApis.GoogleFixHints.Credentials, e.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.Fake.Calls.Count(c => c.Method == "CreateWriteStream"));
    }

    [Fact]
    public async Task UnaryCall_WithRetryInfo_WaitsTheServerDelayOnTheTimeProvider()
    {
        await using var h = await SinkHarness.StartAsync();
        var failures = 0;
        h.Fake.OnUnary = m => m == "CreateWriteStream" && failures++ == 0 ? new UnaryFault(StatusCode.ResourceExhausted, RetryAfter: TimeSpan.FromSeconds(30)) : null;
        await using var sink = h.Sink(h.Options(retryBaseDelay: TimeSpan.FromMilliseconds(100)));

        var write = sink.WriteAsync(TestRecommendations.Range(0, 5), CancellationToken.None).AsTask();
        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(30)).WaitAsync(Guard);
        h.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(write.IsCompleted);
        Assert.Equal(1, h.Fake.Calls.Count(c => c.Method == "CreateWriteStream"));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await write.WaitAsync(Guard);
        Assert.Equal(2, h.Fake.Calls.Count(c => c.Method == "CreateWriteStream"));
    }

    [Fact]
    public async Task Write_CancelledDuringARetryDelay_ThrowsOperationCanceledAndDoesNotRetry()
    {
        await using var h = await SinkHarness.StartAsync();
        h.Fake.OnUnary = m => m == "CreateWriteStream" ? new UnaryFault(StatusCode.Unavailable, RetryAfter: TimeSpan.FromSeconds(30)) : null;
        await using var sink = h.Sink();
        using var cts = new CancellationTokenSource();

        var write = sink.WriteAsync(TestRecommendations.Range(0, 5), cts.Token).AsTask();
        await h.Time.WaitForTimerAsync(TimeSpan.FromSeconds(30)).WaitAsync(Guard);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write.WaitAsync(Guard));
        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, h.Fake.Calls.Count(c => c.Method == "CreateWriteStream"));
        Assert.Equal(0, sink.Statistics.RowsCommitted);
    }

    [Fact]
    public async Task Table_NotFoundWhenWriting_FailsInOneLineNamingTheTableAndTheDdl()
    {
        await using var h = await SinkHarness.StartAsync();
        var options = h.Options() is var o ? new SalesIntel.Stages.Sinks.BigQuery.BigQuerySinkOptions { Table = "bq://fake-project.sales.missing", EmulatorHost = o.EmulatorHost } : null!;
        await using var sink = h.Sink(options);

        var e = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(TestRecommendations.Range(0, 5), CancellationToken.None).AsTask());

        Assert.False(e.IsTransient);
        Assert.Contains("bq://fake-project.sales.missing was not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("deploy/account_recommendations.sql", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}

using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;
using TableSchema = SalesIntel.Stages.Protos.BigQueryStorage.TableSchema;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery;

/// <summary>A fake BigQueryWrite server and a sink pointed at it through the emulator host, on fake time.</summary>
internal sealed class SinkHarness : IAsyncDisposable
{
    private SinkHarness(FakeBigQueryWriteServer server, TimerWatchingTimeProvider time)
    {
        Server = server;
        Time = time;
    }

    public FakeBigQueryWriteServer Server { get; }

    public FakeBigQueryWrite Fake => Server.Service;

    public TimerWatchingTimeProvider Time { get; }

    public static async Task<SinkHarness> StartAsync(TableSchema? schema = null)
    {
        var time = new TimerWatchingTimeProvider(new DateTimeOffset(2024, 5, 2, 6, 0, 0, TimeSpan.Zero));
        var server = await FakeBigQueryWriteServer.StartAsync(new FakeBigQueryWrite(time), schema);
        return new SinkHarness(server, time);
    }

    /// <summary>Options for the fake table: no backoff delays (faults retry at once) unless a test sets them.</summary>
    public BigQuerySinkOptions Options(int commitRows = 1000, int maxRequestBytes = BigQuerySinkDefaults.MaxRequestBytes, int maxInflight = 16,
        int retryBudget = 60, int maxRetryAttempts = 6, TimeSpan? retryBaseDelay = null, TimeSpan? commitInterval = null) => new()
    {
        Table = FakeBigQueryWriteServer.TableUri,
        EmulatorHost = Server.Address,
        CommitRows = commitRows,
        CommitInterval = commitInterval ?? TimeSpan.FromMinutes(10),
        MaxRequestBytes = maxRequestBytes,
        MaxInflightRequests = maxInflight,
        MaxInflightBytes = Math.Max(maxRequestBytes, 64L * 1024 * 1024),
        RetryBudget = retryBudget,
        MaxRetryAttempts = maxRetryAttempts,
        RetryBaseDelay = retryBaseDelay ?? TimeSpan.Zero,
        MaxRetryDelay = TimeSpan.FromSeconds(30),
    };

    public BigQuerySink Sink(BigQuerySinkOptions? options = null) => new(options ?? Options(), Time);

    public IReadOnlyList<FakeRow> Committed => Fake.CommittedRows(FakeBigQueryWriteServer.TableName);

    /// <summary>Asserts every account of <paramref name="expected"/> is committed exactly once and nothing else is.</summary>
    public void AssertCommittedExactlyOnce(IEnumerable<string> expected)
    {
        var committed = Committed.Select(r => r.AccountId).ToList();
        var duplicates = committed.GroupBy(a => a).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        Assert.True(duplicates.Count == 0, "duplicated: " + string.Join(", ", duplicates));
        var want = expected.ToHashSet();
        var missing = want.Except(committed).Take(5).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
        Assert.Equal(want.Count, committed.Count);
    }

    public static async Task WriteInBatchesAsync(IRecommendationSink sink, IReadOnlyList<SalesIntel.Stages.Model.Recommendation> rows, int batchSize)
    {
        for (var i = 0; i < rows.Count; i += batchSize)
        {
            await sink.WriteAsync(rows.Skip(i).Take(batchSize).ToList(), CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

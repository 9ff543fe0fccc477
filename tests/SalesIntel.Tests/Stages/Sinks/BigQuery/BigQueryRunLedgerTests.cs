using System.Globalization;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery;

public sealed class BigQueryRunLedgerTests
{
    private const string TableName = $"projects/{FakeBigQueryWriteServer.Project}/datasets/{FakeBigQueryWriteServer.Dataset}/tables/{ScoringRunsTable.DefaultTableId}";
    private const string TableUri = $"bq://{FakeBigQueryWriteServer.Project}.{FakeBigQueryWriteServer.Dataset}.{ScoringRunsTable.DefaultTableId}";

    private static ScoringRun Run(int attempt) => new()
    {
        RunId = "run-1",
        Execution = "exec-1",
        TaskIndex = 2,
        TaskCount = 4,
        TaskAttempt = attempt,
        Dates = "2026-12-04",
        Source = "in.csv",
        Sink = "bq://p.d.t",
        Scorer = "gemini",
        Model = "gemini-2.5-flash",
        Status = "completed",
        ExitCode = 0,
        Read = 10,
        Scored = 9,
        Written = 9,
        DeadLettered = 1,
        InputTokens = 1200,
        OutputTokens = 300,
        CostUsd = 0.0125,
        LatencyP50Ms = 420,
        StartedAt = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero),
        EndedAt = new DateTimeOffset(2026, 12, 5, 6, 1, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Append_EachAttempt_CommitsItsOwnRowOnce_NullsLeftUnset()
    {
        await using var h = await SinkHarness.StartAsync();
        using var ledger = new BigQueryRunLedger(h.Options(), TableUri, h.Time);
        await ledger.PreflightAsync(CancellationToken.None);

        Assert.True(await ledger.AppendAsync(Run(0), CancellationToken.None));
        Assert.True(await ledger.AppendAsync(Run(1), CancellationToken.None));

        var rows = h.Fake.CommittedRows(TableName);
        Assert.Equal([0L, 1L], rows.Select(r => Convert.ToInt64(r["task_attempt"], CultureInfo.InvariantCulture)).Order());
        var first = rows.First();
        Assert.Equal("run-1", first["run_id"]);
        Assert.Equal("exec-1", first["execution"]);
        Assert.Equal(4L, Convert.ToInt64(first["task_count"], CultureInfo.InvariantCulture));
        Assert.Equal(9L, Convert.ToInt64(first["written"], CultureInfo.InvariantCulture));
        Assert.Equal(0.0125, Convert.ToDouble(first["cost_usd"], CultureInfo.InvariantCulture));
        Assert.Null(first["error"]);
        Assert.Null(first["latency_p99_ms"]);
    }

    [Fact]
    public async Task Preflight_TableMissing_FailsInOneLineNamingTheDdl()
    {
        await using var h = await SinkHarness.StartAsync();
        using var ledger = new BigQueryRunLedger(h.Options(), $"bq://{FakeBigQueryWriteServer.Project}.{FakeBigQueryWriteServer.Dataset}.no_such_runs", h.Time);

        var e = await Assert.ThrowsAsync<SinkException>(async () => await ledger.PreflightAsync(CancellationToken.None));

        Assert.Contains("deploy/scoring_runs.sql", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}

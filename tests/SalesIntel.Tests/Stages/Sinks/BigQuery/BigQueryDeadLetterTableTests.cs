using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery;

public sealed class BigQueryDeadLetterTableTests
{
    private const string TableName = $"projects/{FakeBigQueryWriteServer.Project}/datasets/{FakeBigQueryWriteServer.Dataset}/tables/{DeadLettersTable.DefaultTableId}";
    private const string TableUri = $"bq://{FakeBigQueryWriteServer.Project}.{FakeBigQueryWriteServer.Dataset}.{DeadLettersTable.DefaultTableId}";

    [Fact]
    public async Task Commit_AfterAFailedAttemptThatNeverCommitted_HoldsEachDeadLetterOnce()
    {
        await using var h = await SinkHarness.StartAsync();
        var letters = new[]
        {
            new DeadLetter("decode", "unparsable_value", "score_hint 'x' is not INT64", new SourcePosition("in.csv", "line 3"), "acc-3", "acc-3,x"),
            new DeadLetter("score", "invalid_answer", "no JSON", new SourcePosition("in.csv", "line 9"), "acc-9", "{\"tier\":1}"),
        };

        // Attempt 0 records its dead letters and fails before its final commit: nothing may be visible.
        using (var failed = new BigQueryDeadLetterTable(h.Options(), TableUri, "run-1", 2, 0, h.Time))
        {
            await failed.PreflightAsync(CancellationToken.None);
            failed.Write(letters);
        }

        Assert.Equal(0, h.Fake.CommittedRowCount(TableName));

        using (var retried = new BigQueryDeadLetterTable(h.Options(), TableUri, "run-1", 2, 1, h.Time))
        {
            retried.Write(letters);
            Assert.Equal(2, await retried.CommitAsync(CancellationToken.None));
        }

        var rows = h.Fake.CommittedRows(TableName);
        Assert.Equal(["acc-3", "acc-9"], rows.Select(r => (string)r["account_id"]!).Order());
        var first = rows.Single(r => (string)r["account_id"]! == "acc-3");
        Assert.Equal("run-1", first["run_id"]);
        Assert.Equal(2L, Convert.ToInt64(first["task_index"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1L, Convert.ToInt64(first["task_attempt"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("in.csv line 3", first["source_position"]);
        Assert.Equal("\"acc-3,x\"", first["raw_input"]);
        Assert.Equal("{\"tier\":1}", rows.Single(r => (string)r["account_id"]! == "acc-9")["raw_input"]);
    }
}

using System.Diagnostics;
using System.Text.Json;
using Apache.Arrow.Ipc;
using SalesIntel.Pipeline;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Hosting;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Composition;

/// <summary><c>salesintel score --sink bq://...</c> end to end, in-process, against the fake BigQueryWrite.</summary>
public sealed class BigQuerySinkCliTests : IDisposable
{
    private const string Day = "2026-11-27";
    private readonly string _folder = Directory.CreateTempSubdirectory("salesintel-bqsink-cli-").FullName;
    private readonly Dictionary<string, string> _environment = [];

    [Fact]
    public async Task Score_IntoBigQuery_CommitsEveryAccountExactlyOnceInChunks()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        var source = WriteAccounts(1000);

        var (exit, summary) = await RunAsync(server, source, "--commit-rows", "300", "--batch-rows", "100", "--run-id", "run-a");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(1000, summary.GetProperty("written").GetInt64());
        Assert.Equal(FakeBigQueryWriteServer.TableUri, summary.GetProperty("output").GetString());
        var rows = server.Service.CommittedRows(FakeBigQueryWriteServer.TableName);
        Assert.Equal(1000, rows.Count);
        Assert.Equal(1000, rows.Select(r => r.AccountId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(TestAccounts.Day, r.ScoreDate));
        Assert.All(rows, r => Assert.Equal("run-a", r.RunId));
        // Four chunks of the sink, and the run's ledger row.
        Assert.Equal(5, server.Service.Commits);
        Assert.Equal(0, server.Service.UncommittedRowCount);
    }

    [Fact]
    public async Task Score_IntoATableWithTheWrongSchema_FailsBeforeScoringNamingTheColumns()
    {
        var schema = FakeBigQueryWriteServer.RecommendationsSchema();
        schema.Fields.Remove(schema.Fields.Single(f => f.Name == "rationale"));
        schema.Fields.Single(f => f.Name == "score").Type = TableFieldSchema.Types.Type.String;
        var (server, _) = await StartEmulatorAsync(schema);
        await using var _server = server;
        var source = WriteAccounts(50);

        var (exit, summary) = await RunAsync(server, source);

        Assert.Equal(ExitCodes.Failed, exit);
        var error = summary.GetProperty("error").GetString()!;
        Assert.Contains("missing column rationale", error, StringComparison.Ordinal);
        Assert.Contains("score is STRING, expected INT64", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.Equal(0, summary.GetProperty("read").GetInt64());
        Assert.Equal(["GetWriteStream"], server.Service.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task Score_WithBadBigQuerySinkOptions_ReportsThemAllBeforeConnecting()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        var stderr = new StringWriter();

        var exit = await CommandDispatcher.MainAsync(
            ["score", "--source", WriteAccounts(5), "--date", Day, "--sink", "bq://fake-project.sales", "--commit-rows", "0", "--commit-seconds", "0.5"],
            Env(server), TimeProvider.System, new StringWriter(), stderr, new StopSignal());

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        var text = stderr.ToString();
        Assert.Contains("--commit-rows '0' must be a whole number between 1 and 10,000,000", text, StringComparison.Ordinal);
        Assert.Contains("--commit-seconds '0.5' must be a number between 1 and 21600", text, StringComparison.Ordinal);
        Assert.Contains("bq://PROJECT.DATASET.TABLE", text, StringComparison.Ordinal);
        Assert.Empty(server.Service.Calls);
    }

    [Fact]
    public async Task Score_KilledMidRunThenRerun_CommitsEveryAccountExactlyOnce()
    {
        var (server, read) = await StartEmulatorAsync();
        await using var _server = server;
        var fake = server.Service;
        var source = WriteAccounts(1000);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Two chunks get committed and 100 rows of the third are appended; then appends are held, so the process is
        // surely mid-chunk (rows in a PENDING stream, not committed) when it is killed.
        fake.BeforeAppendAsync = _ =>
        {
            if (fake.Commits < 2 || fake.UncommittedRowCount < 100)
            {
                return Task.CompletedTask;
            }

            blocked.TrySetResult();
            return gate.Task;
        };
        using (var child = StartCli(server, source, "--commit-rows", "200", "--batch-rows", "50", "--run-id", "run-k"))
        {
            await blocked.Task.WaitAsync(TimeSpan.FromSeconds(90));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotEqual(0, child.ExitCode);
        }

        gate.SetResult();
        fake.BeforeAppendAsync = null;
        var afterKill = fake.CommittedRows(FakeBigQueryWriteServer.TableName);
        Assert.Equal(400, afterKill.Count);
        Assert.Equal(400, afterKill.Select(r => r.AccountId).Distinct().Count());
        Assert.True(fake.UncommittedRowCount > 0, "the killed chunk's rows were appended but must stay invisible");

        // The re-run (a Cloud Run task retry keeps the execution, so the run id) reads back what is committed for the
        // date and scores only the rest.
        PublishCommitted(server, read);
        var (exit, summary) = await RunAsync(server, source, "--commit-rows", "200", "--batch-rows", "50", "--run-id", "run-k");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(600, summary.GetProperty("written").GetInt64());
        Assert.Equal(400, summary.GetProperty("skipped").GetInt64());
        Assert.Equal(400, summary.GetProperty("skip_reasons").GetProperty("already_committed").GetInt64());
        var table = fake.CommittedRows(FakeBigQueryWriteServer.TableName);
        Assert.Equal(1000, table.Count);
        Assert.Equal(TestAccounts.Many(1000).Select(a => a.AccountId!).Order(), table.Select(r => r.AccountId).Order());
        // The last session of the resume read-back (carry-forward reads its own window with more columns).
        var readBack = read.SessionRequests.Last(s => s.Request.ReadSession.ReadOptions.SelectedFields.Count == 2);
        Assert.Equal($"table={FakeBigQueryWriteServer.TableName}", readBack.Routing?.Replace("read_session.", "", StringComparison.Ordinal));
        Assert.Equal("score_date = DATE '2026-11-27'", readBack.Request.ReadSession.ReadOptions.RowRestriction);
        Assert.Equal(["account_id", "score_date"], readBack.Request.ReadSession.ReadOptions.SelectedFields);
    }

    [Fact]
    public async Task Score_RerunWithRescore_WritesAgainAndTheLatestViewShowsEachAccountOnce()
    {
        var (server, read) = await StartEmulatorAsync();
        await using var _server = server;
        var source = WriteAccounts(300);
        var (first, _) = await RunAsync(server, source, "--run-id", "run-1");
        PublishCommitted(server, read);

        var (second, summary) = await RunAsync(server, source, "--run-id", "run-2", "--rescore");

        Assert.Equal(ExitCodes.Success, first);
        Assert.Equal(ExitCodes.Success, second);
        Assert.Equal(300, summary.GetProperty("written").GetInt64());
        var table = server.Service.CommittedRows(FakeBigQueryWriteServer.TableName);
        Assert.Equal(600, table.Count);
        var latest = LatestView(table);
        Assert.Equal(300, latest.Count);
        Assert.All(latest, r => Assert.Equal("run-2", r.RunId));
    }

    [Fact]
    public async Task Score_SecondDay_CarriesUnchangedAccountsFromTheSinkTable_OneProjectedReadOverTheWindow()
    {
        var (server, read) = await StartEmulatorAsync();
        await using var _server = server;
        var dayOne = TestAccounts.Day.AddDays(-1);
        var (first, _) = await RunOnAsync(server, WriteAccounts(200, dayOne), "2026-11-26", "--run-id", "run-1");
        PublishCommitted(server, read);

        // Every tenth account changed overnight.
        var dayTwo = WriteAccounts(200, change: a => int.Parse(a.AccountId![^4..], System.Globalization.CultureInfo.InvariantCulture) % 10 == 0 ? a with { Tickets = 9 } : a);
        var (second, summary) = await RunAsync(server, dayTwo, "--run-id", "run-2");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (first, second));
        Assert.Equal((200L, 200L), (summary.GetProperty("read").GetInt64(), summary.GetProperty("written").GetInt64()));
        var metrics = summary.GetProperty("scorer_metrics");
        Assert.Equal((180L, 20L), (metrics.GetProperty("carried_forward").GetInt64(), metrics.GetProperty("carry_changed").GetInt64()));
        var today = server.Service.CommittedRows(FakeBigQueryWriteServer.TableName).Where(r => r.ScoreDate == TestAccounts.Day).ToList();
        Assert.Equal(200, today.Select(r => r.AccountId).Distinct().Count());
        Assert.Equal(180, today.Count(r => r.Values.ContainsKey("carried_from")));
        Assert.All(today, r => Assert.Equal("run-2", r.RunId));

        var carryRead = read.SessionRequests.Last(s => s.Request.ReadSession.ReadOptions.SelectedFields.Contains("material_hash"));
        Assert.Equal("score_date BETWEEN DATE '2026-11-20' AND DATE '2026-11-26'", carryRead.Request.ReadSession.ReadOptions.RowRestriction);
        Assert.DoesNotContain("run_id", carryRead.Request.ReadSession.ReadOptions.SelectedFields);
        Assert.DoesNotContain("input_tokens", carryRead.Request.ReadSession.ReadOptions.SelectedFields);
    }

    [Fact]
    public async Task Score_WithBadRows_CommitsTheirDeadLettersToTheTableBesideTheSinkOnce()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        var source = WriteAccounts(200, change: NoKeyEveryFortieth);

        var (exit, summary) = await RunAsync(server, source, "--commit-rows", "60", "--run-id", "run-d", "--max-dead-letter-rate", "0.05");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal((200L, 195L, 5L), (summary.GetProperty("read").GetInt64(), summary.GetProperty("written").GetInt64(), summary.GetProperty("dead_lettered").GetInt64()));
        var table = $"bq://{FakeBigQueryWriteServer.Project}.{FakeBigQueryWriteServer.Dataset}.{DeadLettersTable.DefaultTableId}";
        Assert.Equal(table, summary.GetProperty("dead_letter_table").GetString());
        Assert.Equal(5, summary.GetProperty("dead_letter_table_rows").GetInt64());
        var letters = server.Service.CommittedRows(FakeBigQueryWriteServer.DeadLettersTableName);
        Assert.Equal(5, letters.Count);
        Assert.All(letters, r => Assert.Equal("run-d", r["run_id"]));
        Assert.All(letters, r => Assert.False(string.IsNullOrEmpty((string?)r["reason"])));
        Assert.Equal(5, letters.Select(r => (string?)r["source_position"]).Distinct().Count());

        // The same rows are in the local file too, line for line.
        Assert.Equal(5, File.ReadAllLines(Path.Combine(_folder, "dead.jsonl")).Length);
    }

    [Fact]
    public async Task Score_FailingBeforeItsFinalCommit_LeavesNoDeadLetterRows_AndTheRetriedAttemptWritesItsOwnOnce()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        var source = WriteAccounts(200, change: NoKeyEveryFortieth);
        server.Service.OnUnary = method => method == "BatchCommitWriteStreams" ? new UnaryFault(Grpc.Core.StatusCode.PermissionDenied, "fake: no commit") : null;

        var (failed, failedSummary) = await RunAsync(server, source, "--run-id", "run-r");

        Assert.Equal(ExitCodes.Failed, failed);
        Assert.Equal(5, failedSummary.GetProperty("dead_lettered").GetInt64());
        Assert.False(failedSummary.TryGetProperty("dead_letter_table", out _));
        Assert.Empty(server.Service.CommittedRows(FakeBigQueryWriteServer.DeadLettersTableName));

        // Cloud Run retries the task: same execution (run id), next attempt.
        server.Service.OnUnary = null;
        _environment["CLOUD_RUN_TASK_ATTEMPT"] = "1";
        var (retried, _) = await RunAsync(server, source, "--run-id", "run-r", "--max-dead-letter-rate", "0.05");

        Assert.Equal(ExitCodes.Success, retried);
        var letters = server.Service.CommittedRows(FakeBigQueryWriteServer.DeadLettersTableName);
        Assert.Equal(5, letters.Count);
        Assert.All(letters, r => Assert.Equal(1L, Convert.ToInt64(r["task_attempt"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Score_WithDeadLetterTableNone_KeepsDeadLettersInTheFileOnly()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;

        var (exit, summary) = await RunAsync(server, WriteAccounts(80, change: NoKeyEveryFortieth), "--dead-letter-table", "none", "--max-dead-letter-rate", "0.05");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(2, summary.GetProperty("dead_lettered").GetInt64());
        Assert.False(summary.TryGetProperty("dead_letter_table", out _));
        Assert.Empty(server.Service.CommittedRows(FakeBigQueryWriteServer.DeadLettersTableName));
        Assert.DoesNotContain(server.Service.Calls, c => c.RoutingParams?.Contains(DeadLettersTable.DefaultTableId, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Score_WithoutTheDeadLetterTable_FailsBeforeReadingNamingTheTableAndTheDdl()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        server.Service.RemoveTable(FakeBigQueryWriteServer.DeadLettersTableName);

        var (exit, summary) = await RunAsync(server, WriteAccounts(20));

        Assert.Equal(ExitCodes.Failed, exit);
        var error = summary.GetProperty("error").GetString()!;
        Assert.Contains(DeadLettersTable.DefaultTableId, error, StringComparison.Ordinal);
        Assert.Contains("deploy/account_recommendation_dead_letters.sql", error, StringComparison.Ordinal);
        Assert.Equal(0, summary.GetProperty("read").GetInt64());
        Assert.Empty(server.Service.CommittedRows(FakeBigQueryWriteServer.TableName));
    }

    [Theory]
    [InlineData("out/recs.csv", "bq://fake-project.sales.dead", "needs a bq:// --sink")]
    [InlineData(FakeBigQueryWriteServerTableUri, "bq://fake-project.sales.account_recommendations", "is the --sink table")]
    [InlineData(FakeBigQueryWriteServerTableUri, "bq://fake-project.sales", "--dead-letter-table 'bq://fake-project.sales' has 2 dot-separated part(s)")]
    public async Task Score_WithAMisplacedDeadLetterTable_IsRefusedAtStartInOneLine(string sink, string table, string expected)
    {
        var stderr = new StringWriter();

        var exit = await CommandDispatcher.MainAsync(
            ["score", "--source", WriteAccounts(5), "--date", Day, "--sink", Path.IsPathRooted(sink) || sink.StartsWith("bq://", StringComparison.Ordinal) ? sink : Path.Combine(_folder, sink), "--dead-letter-table", table],
            _ => null, TimeProvider.System, new StringWriter(), stderr, new StopSignal());

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_Completed_AppendsExactlyOneLedgerRowWithTheSummaryFigures()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        _environment["CLOUD_RUN_EXECUTION"] = "exec-l";
        _environment["CLOUD_RUN_TASK_ATTEMPT"] = "2";

        var (exit, summary) = await RunAsync(server, WriteAccounts(200, change: NoKeyEveryFortieth), "--run-id", "run-l", "--max-dead-letter-rate", "0.05");

        Assert.Equal(ExitCodes.Success, exit);
        var row = Assert.Single(server.Service.CommittedRows(FakeBigQueryWriteServer.ScoringRunsTableName));
        Assert.Equal(("run-l", "exec-l", "completed"), ((string?)row["run_id"], (string?)row["execution"], (string?)row["status"]));
        Assert.Equal(
            (0L, 2L, summary.GetProperty("read").GetInt64(), summary.GetProperty("written").GetInt64(), summary.GetProperty("dead_lettered").GetInt64()),
            (Whole(row["exit_code"]), Whole(row["task_attempt"]), Whole(row["read"]), Whole(row["written"]), Whole(row["dead_lettered"])));
        Assert.Equal((200L, 195L, 5L), (Whole(row["read"]), Whole(row["written"]), Whole(row["dead_lettered"])));
        Assert.Equal(summary.GetProperty("dates").GetString(), row["dates"]);
        Assert.Null(row["error"]);
        Assert.Equal($"bq://{FakeBigQueryWriteServer.Project}.{FakeBigQueryWriteServer.Dataset}.{ScoringRunsTable.DefaultTableId}", summary.GetProperty("run_ledger_table").GetString());
        Assert.True(summary.GetProperty("run_ledger_written").GetBoolean());
    }

    [Fact]
    public async Task Score_FailingAtItsCommit_AppendsOneLedgerRowWithStatusFailedExitCodeAndError()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        // Only the sink's commit is refused: the ledger row, committed after it, goes through.
        var commits = 0;
        server.Service.OnUnary = method => method == "BatchCommitWriteStreams" && Interlocked.Increment(ref commits) == 1 ? new UnaryFault(Grpc.Core.StatusCode.PermissionDenied, "fake: no commit") : null;

        var (exit, summary) = await RunAsync(server, WriteAccounts(50), "--run-id", "run-f");

        Assert.Equal(ExitCodes.Failed, exit);
        var row = Assert.Single(server.Service.CommittedRows(FakeBigQueryWriteServer.ScoringRunsTableName));
        Assert.Equal(("run-f", "failed", 1L), ((string?)row["run_id"], (string?)row["status"], Whole(row["exit_code"])));
        Assert.Equal(summary.GetProperty("error").GetString(), row["error"]);
        Assert.False(string.IsNullOrEmpty((string?)row["error"]));
        Assert.True(summary.GetProperty("run_ledger_written").GetBoolean());
    }

    [Fact]
    public async Task Score_LedgerCommitRefused_KeepsExitZeroAndTheCommittedRecommendations_SummarySaysNotWritten()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        // Clean rows: the sink's commit is the first, the ledger's the second (no dead letters to commit).
        var commits = 0;
        server.Service.OnUnary = method => method == "BatchCommitWriteStreams" && Interlocked.Increment(ref commits) >= 2 ? new UnaryFault(Grpc.Core.StatusCode.PermissionDenied, "fake: no ledger commit") : null;

        var (exit, summary) = await RunAsync(server, WriteAccounts(20), "--run-id", "run-nl");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(20, server.Service.CommittedRows(FakeBigQueryWriteServer.TableName).Count);
        Assert.Empty(server.Service.CommittedRows(FakeBigQueryWriteServer.ScoringRunsTableName));
        Assert.True(commits >= 2, $"the ledger's commit was never attempted ({commits} commits)");
        Assert.False(summary.GetProperty("run_ledger_written").GetBoolean());
        Assert.Equal("completed", summary.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Score_GuardTripped_AppendsOneLedgerRowWithTheGuardsStatusExitCodeAndError()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;

        var (exit, summary) = await RunAsync(server, WriteAccounts(20), "--run-id", "run-g", "--max-rows", "5");

        Assert.Equal(ExitCodes.GuardTripped, exit);
        Assert.Empty(server.Service.CommittedRows(FakeBigQueryWriteServer.TableName));
        var row = Assert.Single(server.Service.CommittedRows(FakeBigQueryWriteServer.ScoringRunsTableName));
        Assert.Equal(("run-g", summary.GetProperty("status").GetString(), (long)ExitCodes.GuardTripped), ((string?)row["run_id"], (string?)row["status"], Whole(row["exit_code"])));
        Assert.NotEqual("completed", (string?)row["status"]);
        Assert.Contains("--max-rows", (string?)row["error"], StringComparison.Ordinal);
        Assert.Equal(0L, Whole(row["written"]));
    }

    [Fact]
    public async Task Score_WithRunLedgerTableNone_AppendsNoRow()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;

        var (exit, summary) = await RunAsync(server, WriteAccounts(20), "--run-ledger-table", "none");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Empty(server.Service.CommittedRows(FakeBigQueryWriteServer.ScoringRunsTableName));
        Assert.False(summary.TryGetProperty("run_ledger_table", out _));
        Assert.DoesNotContain(server.Service.Calls, c => c.RoutingParams?.Contains(ScoringRunsTable.DefaultTableId, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Score_WithoutTheRunLedgerTable_FailsBeforeReadingNamingTheDdl()
    {
        var (server, _) = await StartEmulatorAsync();
        await using var _server = server;
        server.Service.RemoveTable(FakeBigQueryWriteServer.ScoringRunsTableName);

        var (exit, summary) = await RunAsync(server, WriteAccounts(20));

        Assert.Equal(ExitCodes.Failed, exit);
        var error = summary.GetProperty("error").GetString()!;
        Assert.Contains("deploy/scoring_runs.sql", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
        Assert.Equal(0, summary.GetProperty("read").GetInt64());
        Assert.Empty(server.Service.CommittedRows(FakeBigQueryWriteServer.TableName));
    }

    [Theory]
    [InlineData("out/recs.csv", "bq://fake-project.sales.runs", "needs a bq:// --sink")]
    [InlineData(FakeBigQueryWriteServerTableUri, "bq://fake-project.sales.account_recommendations", "is the --sink table")]
    public async Task Score_WithAMisplacedRunLedgerTable_IsRefusedAtStartInOneLine(string sink, string table, string expected)
    {
        var stderr = new StringWriter();

        var exit = await CommandDispatcher.MainAsync(
            ["score", "--source", WriteAccounts(5), "--date", Day, "--sink", sink.StartsWith("bq://", StringComparison.Ordinal) ? sink : Path.Combine(_folder, sink), "--run-ledger-table", table],
            _ => null, TimeProvider.System, new StringWriter(), stderr, new StopSignal());

        Assert.Equal(ExitCodes.BadConfiguration, exit);
        Assert.Contains(expected, stderr.ToString(), StringComparison.Ordinal);
    }

    private static long Whole(object? value) => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);

    private const string FakeBigQueryWriteServerTableUri = $"bq://{FakeBigQueryWriteServer.Project}.{FakeBigQueryWriteServer.Dataset}.{FakeBigQueryWriteServer.TableId}";

    /// <summary>Every fortieth account loses its key: a dead letter (account_id is REQUIRED) that still has a source position.</summary>
    private static TestAccount NoKeyEveryFortieth(TestAccount account) =>
        int.Parse(account.AccountId![^4..], System.Globalization.CultureInfo.InvariantCulture) % 40 == 0 ? account with { AccountId = null } : account;

    /// <summary>A fake BigQueryWrite and a fake BigQueryRead on one host, as BIGQUERY_STORAGE_EMULATOR_HOST serves both.</summary>
    internal static async Task<(FakeBigQueryWriteServer Server, FakeBigQueryRead Read)> StartEmulatorAsync(SalesIntel.Stages.Protos.BigQueryStorage.TableSchema? schema = null)
    {
        var read = new FakeBigQueryRead();
        var server = await FakeBigQueryWriteServer.StartAsync(schema: schema, addServices: s => s.AddSingleton(read), mapServices: app => app.MapGrpcService<FakeBigQueryRead>());
        PublishCommitted(server, read);
        return (server, read);
    }

    /// <summary>Lets the read side see what the write side has committed: every column, as BigQuery would serve it.</summary>
    internal static void PublishCommitted(FakeBigQueryWriteServer server, FakeBigQueryRead read)
    {
        var rows = server.Service.CommittedRows(FakeBigQueryWriteServer.TableName);
        var schema = SalesIntel.Stages.Decode.BigQueryArrowTypes.ToArrowSchema(SalesIntel.Stages.Model.RecommendationsTable.Schema);
        var columns = SalesIntel.Stages.Model.RecommendationsTable.Schema.Fields.Select(f => Column(f, rows)).ToArray();
        read.AddTable(FakeBigQueryWriteServer.TableName, schema, [new Apache.Arrow.RecordBatch(schema, columns, rows.Count)]);
    }

    private static Apache.Arrow.IArrowArray Column(SalesIntel.Stages.Model.BqField field, IReadOnlyList<FakeRow> rows)
    {
        var values = rows.Select(r => r.Values.GetValueOrDefault(field.Name)).ToList();
        if (field.Repeated)
        {
            var list = new Apache.Arrow.ListArray.Builder(Apache.Arrow.Types.StringType.Default);
            var items = (Apache.Arrow.StringArray.Builder)list.ValueBuilder;
            foreach (var v in values)
            {
                list.Append();
                foreach (var item in (List<object?>?)v ?? [])
                {
                    items.Append((string)item!);
                }
            }

            return list.Build();
        }

        switch (field.Type)
        {
            case SalesIntel.Stages.Model.BqType.String:
                var strings = new Apache.Arrow.StringArray.Builder();
                values.ForEach(v => strings.Append((string?)v));
                return strings.Build();
            case SalesIntel.Stages.Model.BqType.Int64:
                var longs = new Apache.Arrow.Int64Array.Builder();
                values.ForEach(v => { if (v is long l) { longs.Append(l); } else { longs.AppendNull(); } });
                return longs.Build();
            case SalesIntel.Stages.Model.BqType.Float64:
                var doubles = new Apache.Arrow.DoubleArray.Builder();
                values.ForEach(v => { if (v is double d) { doubles.Append(d); } else { doubles.AppendNull(); } });
                return doubles.Build();
            case SalesIntel.Stages.Model.BqType.Date:
                var dates = new Apache.Arrow.Date32Array.Builder();
                values.ForEach(v => { if (v is int days) { dates.Append(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + days)); } else { dates.AppendNull(); } });
                return dates.Build();
            default:
                var times = new Apache.Arrow.TimestampArray.Builder(Apache.Arrow.Types.TimeUnit.Microsecond, "UTC");
                values.ForEach(v => { if (v is long micros) { times.Append(DateTimeOffset.UnixEpoch.AddTicks(micros * 10)); } else { times.AppendNull(); } });
                return times.Build();
        }
    }

    /// <summary>deploy/account_recommendations.sql's account_recommendations_latest over the fake's committed rows.</summary>
    private static List<FakeRow> LatestView(IEnumerable<FakeRow> rows) =>
        [.. rows.GroupBy(r => (r.AccountId, r.ScoreDate))
            .Select(g => g.OrderByDescending(r => (long)r["scored_at"]!).ThenByDescending(r => r.RunId, StringComparer.Ordinal)
                .ThenByDescending(r => (string)r["input_hash"]!, StringComparer.Ordinal).First())];

    /// <summary>Starts the real salesintel executable as a child process pointed at the fake by the emulator variable.</summary>
    private Process StartCli(FakeBigQueryWriteServer server, string source, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "salesintel.dll"));
        foreach (var arg in (string[])[
            "score", "--source", source, "--date", Day, "--sink", FakeBigQueryWriteServer.TableUri,
            "--dead-letter", Path.Combine(_folder, "child-dead.jsonl"), "--summary", Path.Combine(_folder, "child-summary.json"),
            "--progress-interval", "3600", .. extra])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[BigQuerySinkDefaults.EmulatorVariable] = server.Address;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private Task<(int Exit, JsonElement Summary)> RunAsync(FakeBigQueryWriteServer server, string source, params string[] extra) =>
        RunOnAsync(server, source, Day, extra);

    private async Task<(int Exit, JsonElement Summary)> RunOnAsync(FakeBigQueryWriteServer server, string source, string day, params string[] extra)
    {
        var summaryPath = Path.Combine(_folder, "summary.json");
        string[] args =
        [
            "score", "--source", source, "--date", day, "--sink", FakeBigQueryWriteServer.TableUri,
            "--dead-letter", Path.Combine(_folder, "dead.jsonl"), "--summary", summaryPath, .. extra,
        ];
        using var stop = new StopSignal();
        var exit = await CommandDispatcher.MainAsync(args, Env(server), TimeProvider.System, new StringWriter(), new StringWriter(), stop).WaitAsync(TimeSpan.FromSeconds(60));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath));
        return (exit, json.RootElement.Clone());
    }

    private Func<string, string?> Env(FakeBigQueryWriteServer server) =>
        name => name == BigQuerySinkDefaults.EmulatorVariable ? server.Address : _environment.GetValueOrDefault(name);

    /// <summary>Writes <paramref name="count"/> accounts of <see cref="TestAccounts.Day"/> as an Arrow IPC file.</summary>
    private string WriteAccounts(int count, DateOnly? day = null, Func<TestAccount, TestAccount>? change = null)
    {
        var path = Path.Combine(_folder, $"accounts-{day ?? TestAccounts.Day:yyyyMMdd}.arrow");
        using var stream = File.Create(path);
        using var writer = new ArrowFileWriter(stream, TestAccounts.ArrowSchema);
        var rows = TestAccounts.Many(count, day).Select(change ?? (a => a)).ToArray();
        for (var i = 0; i < rows.Length; i += 250)
        {
            writer.WriteRecordBatch(TestAccounts.Batch(rows[i..Math.Min(rows.Length, i + 250)]));
        }

        writer.WriteEnd();
        return path;
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}

using System.Text.Json;
using Apache.Arrow;
using Grpc.Core;
using SalesIntel.Pipeline;
using SalesIntel.Stages.Sources.Files;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;
using SalesIntel.Tests.Stages.Sources.Files;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Hosting;

/// <summary>
/// <c>salesintel score --source bq://...</c> end to end, in-process, against the fake BigQueryRead holding exactly the
/// rows the file source reads from the shipped fixture: the output must not depend on where the rows came from.
/// </summary>
public sealed class ScoreCommandBigQuerySourceTests(SharedFakeBigQueryReadServer shared) : IAsyncLifetime, IClassFixture<SharedFakeBigQueryReadServer>
{
    private const string TableName = "projects/acme-sales/datasets/crm/tables/account_signals";
    private const string TableUri = "bq://acme-sales.crm.account_signals";
    private const string Date = "2026-11-27";

    private readonly string _dir = FileTestSupport.NewTempDir();

    // Frozen like the other CLI tests (outputs carry times), but retry timers (up to a minute) fire at once instead of
    // never; the progress reporter's hour-long interval (--progress-interval below) never comes.
    private readonly InstantTimeProvider _clock = new(CliRun.Now, fireAtOnceUpTo: TimeSpan.FromMinutes(1));
    // The fixture as the file source reads it, loaded once: the fake serves exactly these batches.
    private static readonly Lazy<Task<List<RecordBatch>>> FixtureBatches = new(ReadFixtureAsync);

    private FakeBigQueryReadServer Server => shared.Server;

    private FakeBigQueryRead Fake => Server.Service;

    private static string Fixture => FileTestSupport.Fixture("accounts.csv");

    public async Task InitializeAsync()
    {
        var batches = await FixtureBatches.Value;
        var fake = Server.Reset();
        fake.AddTable(TableName, batches[0].Schema, batches);
        fake.RowsPerResponse = 300;
    }

    public Task DisposeAsync()
    {
        Assert.Empty(Fake.UnexpectedErrors);
        return Task.CompletedTask;
    }

    private static async Task<List<RecordBatch>> ReadFixtureAsync()
    {
        await using var file = FileSources.Open(new FileSourceOptions(Fixture));
        await file.OpenAsync(default);
        var batches = new List<RecordBatch>();
        await foreach (var batch in file.ReadAsync(default))
        {
            Assert.Empty(batch.Rejected);
            batches.Add(batch.Rows);
        }

        return batches;
    }

    [Theory]
    [InlineData("recs.csv")]
    [InlineData("recs.jsonl")]
    public async Task Score_BigQuerySource_WritesTheSameFileByteForByteAsTheFileSource(string sinkName)
    {
        var fromFile = await Score("file", sinkName, ["--source", Fixture]);
        var fromBigQuery = await Score("bq", sinkName, ["--source", TableUri, "--max-streams", "1"]);

        Assert.Equal(ExitCodes.Success, fromFile.Result.ExitCode);
        Assert.Equal(ExitCodes.Success, fromBigQuery.Result.ExitCode);
        Assert.Equal(File.ReadAllBytes(fromFile.Output), File.ReadAllBytes(fromBigQuery.Output));
        Assert.Equal(sinkName.EndsWith(".csv", StringComparison.Ordinal) ? 1001 : 1000, File.ReadAllLines(fromBigQuery.Output).Length);
        Assert.Equal(Counts(fromFile.Summary), Counts(fromBigQuery.Summary));
        var (session, routing) = Assert.Single(Fake.SessionRequests);
        Assert.Equal($"snapshot_date = DATE '{Date}'", session.ReadSession.ReadOptions.RowRestriction);
        Assert.Equal($"read_session.table={TableName}", routing);
    }

    [Fact]
    public async Task Score_BigQuerySourceFourStreamsThatBreak_WritesTheSameRowsAsTheFileSource()
    {
        foreach (var stream in Enumerable.Range(0, 4))
        {
            Fake.BreakStream(new FakeStreamBreak(stream, 101 + stream, StatusCode.Unavailable));
            Fake.BreakStream(new FakeStreamBreak(stream, 200, StatusCode.Internal, "Received RST_STREAM with error code 2"));
        }

        var fromFile = await Score("file", "recs.csv", ["--source", Fixture]);
        var fromBigQuery = await Score("bq", "recs.csv", ["--source", TableUri, "--max-streams", "4"]);

        Assert.Equal(ExitCodes.Success, fromBigQuery.Result.ExitCode);
        Assert.Equal(0, Fake.PendingBreaks);
        Assert.Equal(8, _clock.Delays.Count);
        Assert.Equal(SortedLines(fromFile.Output), SortedLines(fromBigQuery.Output));
        Assert.Equal(Counts(fromFile.Summary), Counts(fromBigQuery.Summary));
    }

    [Fact]
    public async Task Score_BigQueryDryRun_PrintsTheSessionPlanAndReadsNothing()
    {
        var run = await Score("bq", "recs.csv", ["--source", TableUri, "--max-streams", "3", "--dry-run", "--max-rows", "500"]);

        Assert.Equal(ExitCodes.Success, run.Result.ExitCode);
        Assert.Contains("streams: 3 (--max-streams 3)", run.Result.Stdout, StringComparison.Ordinal);
        Assert.Contains("estimated rows 1,000", run.Result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"filter: snapshot_date = DATE '{Date}'", run.Result.Stdout, StringComparison.Ordinal);
        Assert.Contains("columns: account_id, account_name, domain", run.Result.Stdout, StringComparison.Ordinal);
        Assert.Contains("guards: WOULD STOP THE RUN: bq://acme-sales.crm.account_signals: the read session estimates 1,000 rows over --max-rows 500", run.Result.Stdout, StringComparison.Ordinal);
        Assert.Empty(Fake.ReadRequests);
        Assert.False(File.Exists(run.Output));
    }

    [Fact]
    public async Task Score_BigQueryEstimateOverMaxBytes_StopsBeforeReadingWithTheGuardExitCode()
    {
        Fake.EstimatedBytesOverride = 25_000_000_000;

        var run = await Score("bq", "recs.csv", ["--source", TableUri, "--max-bytes", "20000000000"]);

        Assert.Equal(ExitCodes.GuardTripped, run.Result.ExitCode);
        Assert.Contains("25 GB (25,000,000,000 bytes) scanned over --max-bytes 20,000,000,000 (20 GB)", run.Result.Stdout, StringComparison.Ordinal);
        Assert.Contains("raise the guard with --max-bytes 25000000000", run.Result.Stdout, StringComparison.Ordinal);
        Assert.Empty(Fake.ReadRequests);
        Assert.False(File.Exists(run.Output));
    }

    [Fact]
    public async Task Score_BigQueryTableMissing_FailsInOneLineNamingTheTable()
    {
        var run = await Score("bq", "recs.csv", ["--source", "bq://acme-sales.crm.no_such_table"]);

        Assert.Equal(ExitCodes.Failed, run.Result.ExitCode);
        Assert.Contains("bq://acme-sales.crm.no_such_table: BigQuery table projects/acme-sales/datasets/crm/tables/no_such_table was not found", run.Result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Result.Stdout + run.Result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_BadBigQueryOptions_AreReportedWithTheOtherProblems()
    {
        var run = await Score("bq", "recs.csv", ["--source", "bq://acme-sales.account_signals", "--max-streams", "0", "--read-compression", "brotli", "--concurrency", "0"]);

        Assert.Equal(ExitCodes.BadConfiguration, run.Result.ExitCode);
        Assert.Contains("--max-streams '0' must be a whole number between 1 and 1,000", run.Result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--read-compression 'brotli' must be one of lz4, zstd, none", run.Result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--source 'bq://acme-sales.account_signals' has 2 dot-separated part(s)", run.Result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--concurrency '0'", run.Result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Fake.SessionRequests);
    }

    [Theory]
    [InlineData(2, new[] { 500, 500 })]
    [InlineData(5, new[] { 200, 200, 200, 200, 200 })]
    [InlineData(3, new[] { 400, 300, 300 })]
    public async Task Score_CloudRunTasksSharingOneDay_TogetherScoreEveryAccountOnce(int tasks, int[] expectedShares)
    {
        // Sequential ids (acc-000001...) split by last digit: even when the task count divides 10, else off by a tenth.
        var shares = new List<List<string>>();
        for (var task = 0; task < tasks; task++)
        {
            var env = new Dictionary<string, string> { ["CLOUD_RUN_TASK_INDEX"] = $"{task}", ["CLOUD_RUN_TASK_COUNT"] = $"{tasks}" };
            var run = await Score($"task{task}", "recs.jsonl", ["--source", TableUri], env);
            Assert.Equal(ExitCodes.Success, run.Result.ExitCode);
            shares.Add([.. File.ReadAllLines(run.Output).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("account_id").GetString()!)]);
        }

        var all = shares.SelectMany(s => s).ToList();
        Assert.Equal(1000, all.Count);
        Assert.Equal(1000, all.Distinct().Count());
        Assert.Equal(expectedShares, shares.Select(s => s.Count));
    }

    [Fact]
    public async Task Score_CloudRunTasksWithKeyBoundaries_SplitExactlyThere()
    {
        var counts = new List<int>();
        for (var task = 0; task < 3; task++)
        {
            var env = new Dictionary<string, string> { ["CLOUD_RUN_TASK_INDEX"] = $"{task}", ["CLOUD_RUN_TASK_COUNT"] = "3", ["SALESINTEL_TASK_KEY_BOUNDARIES"] = "acc-000334, acc-000667" };
            var run = await Score($"task{task}", "recs.jsonl", ["--source", TableUri], env);
            Assert.Equal(ExitCodes.Success, run.Result.ExitCode);
            counts.Add(File.ReadAllLines(run.Output).Length);
        }

        Assert.Equal([333, 333, 334], counts);
    }

    private async Task<(CliResult Result, string Output, string Summary)> Score(string name, string sink, string[] args, Dictionary<string, string>? environment = null)
    {
        var folder = Path.Combine(_dir, name);
        var output = Path.Combine(folder, sink);
        var summary = Path.Combine(folder, "summary.json");
        var env = new Dictionary<string, string>(environment ?? []) { ["BIGQUERY_STORAGE_EMULATOR_HOST"] = Server.Host };
        var result = await CliRun.RunAsync(
            ["score", "--date", Date, "--run-id", "e2e", "--progress-interval", "3600", "--sink", output, "--dead-letter", Path.Combine(folder, "dead.jsonl"), "--summary", summary, .. args],
            env,
            time: _clock);
        return (result, output, summary);
    }

    private static (long Read, long Written, long Skipped, long DeadLettered) Counts(string summaryPath)
    {
        var s = JsonDocument.Parse(File.ReadAllText(summaryPath)).RootElement;
        return (s.GetProperty("read").GetInt64(), s.GetProperty("written").GetInt64(), s.GetProperty("skipped").GetInt64(), s.GetProperty("dead_lettered").GetInt64());
    }

    private static List<string> SortedLines(string path) => [.. File.ReadAllLines(path).Order(StringComparer.Ordinal)];
}

using Apache.Arrow;
using SalesIntel.Pipeline;
using SalesIntel.Stages.Sources.BigQuery;
using SalesIntel.Stages.Sources.Files;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;
using SalesIntel.Tests.Stages.Sources.Files;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Pipeline.Doctor;

/// <summary>
/// <c>salesintel doctor --source bq://...</c> against the fake BigQueryRead holding the shipped fixture: the source line
/// passes with the read session's estimates, and fails for a missing table, a missing partition and a byte estimate
/// over <c>--max-bytes</c>, each naming the fix.
/// </summary>
public sealed class DoctorBigQuerySourceTests(SharedFakeBigQueryReadServer shared) : IAsyncLifetime, IClassFixture<SharedFakeBigQueryReadServer>
{
    private const string TableName = "projects/acme-sales/datasets/crm/tables/account_signals";
    private const string TableUri = "bq://acme-sales.crm.account_signals";

    private static readonly Lazy<Task<List<RecordBatch>>> FixtureBatches = new(ReadFixtureAsync);

    private readonly string _dir = FileTestSupport.NewTempDir();

    private FakeBigQueryRead Fake { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var batches = await FixtureBatches.Value;
        Fake = shared.Server.Reset();
        Fake.AddTable(TableName, batches[0].Schema, batches);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Doctor_PartitionPresent_PassesTheSourceCheckWithTheSessionEstimates()
    {
        var run = await Doctor("2026-11-27");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var lines = Lines(run);
        var source = Assert.Single(lines, l => l.Contains("source:", StringComparison.Ordinal));
        Assert.StartsWith("ok    source: ", source, StringComparison.Ordinal);
        Assert.Contains("bytes estimated by the read session for 2026-11-27", source, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("ok    credentials: emulator, no credentials (BigQuery Storage at ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ok    project: BigQuery reads billed to 'acme-sales' (the source table's project)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Doctor_PartitionMissing_FailsTheSourceCheckAndSaysToWaitForTheLoad()
    {
        var run = await Doctor("2026-10-01");

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var source = Assert.Single(Lines(run), l => l.StartsWith("fail  source: ", StringComparison.Ordinal));
        Assert.Contains("the selected partition(s) 2026-10-01 hold no rows", source, StringComparison.Ordinal);
        Assert.Contains("fix: check that the upstream load for that date has finished", source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_TableMissing_FailsTheSourceCheckNamingTheTable()
    {
        var run = await Doctor("2026-11-27", "--source", "bq://acme-sales.crm.no_such_table");

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var source = Assert.Single(Lines(run), l => l.StartsWith("fail  source: ", StringComparison.Ordinal));
        Assert.Contains("no_such_table", source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_ByteEstimateOverMaxBytes_FailsTheSourceCheckWithTheValueToRaiseItTo()
    {
        Fake.EstimatedBytesOverride = 5_000_000_000;

        var run = await Doctor("2026-11-27", "--max-bytes", "1000000");

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var source = Assert.Single(Lines(run), l => l.StartsWith("fail  source: ", StringComparison.Ordinal));
        Assert.Contains("estimates 5,000,000,000 bytes scanned, over --max-bytes 1,000,000", source, StringComparison.Ordinal);
        Assert.Contains("fix: narrow the dates or raise --max-bytes to 5000000000", source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_RowEstimateOverMaxRows_FailsTheSourceCheckWithTheValueToRaiseItTo()
    {
        var run = await Doctor("2026-11-27", "--max-rows", "10");

        Assert.Equal(ExitCodes.DoctorFoundProblems, run.ExitCode);
        var source = Assert.Single(Lines(run), l => l.StartsWith("fail  source: ", StringComparison.Ordinal));
        Assert.Contains("fix: narrow the dates or raise --max-rows to ", source, StringComparison.Ordinal);
    }

    private Task<CliResult> Doctor(string date, params string[] args) =>
        CliRun.RunAsync(
            ["doctor", "--date", date, "--source", TableUri, "--sink", Path.Combine(_dir, "recs.csv"), "--dead-letter", Path.Combine(_dir, "dead.jsonl"), "--summary", Path.Combine(_dir, "summary.json"), .. args],
            new() { [BigQuerySourceOptions.EmulatorVariable] = shared.Server.Host });

    private static List<string> Lines(CliResult run) => [.. run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static async Task<List<RecordBatch>> ReadFixtureAsync()
    {
        await using var file = FileSources.Open(new FileSourceOptions(FileTestSupport.Fixture("accounts.csv")));
        await file.OpenAsync(default);
        var batches = new List<RecordBatch>();
        await foreach (var batch in file.ReadAsync(default))
        {
            batches.Add(batch.Rows);
        }

        return batches;
    }
}

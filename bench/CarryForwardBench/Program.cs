using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using Microsoft.Extensions.Logging.Abstractions;
using SalesIntel.Stages.CarryForward;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

// bench --rows N: serves N earlier recommendations (one per account, score_date yesterday, every column of
// account_recommendations) from the fake BigQueryRead on 127.0.0.1, loads the carry-forward index through
// PreviousRecommendations.LoadBigQueryAsync (the run's own code path: Storage Read, projection, window) and prints
// the load rate, the bytes per account of the index array (all the index keeps in memory once built; building
// holds at most the chunks plus the final array, i.e. twice that) and the spill file size. The fake runs in
// the same process and shares the cores, so rows/s is a floor.
const string Table = "bq://bench-project.sales.account_recommendations";
const string TableName = "projects/bench-project/datasets/sales/tables/account_recommendations";
var rows = int.Parse(args.SkipWhile(a => a != "--rows").Skip(1).FirstOrDefault() ?? "1000000", CultureInfo.InvariantCulture);
var yesterday = new DateOnly(2026, 11, 26);
var schema = BigQueryArrowTypes.ToArrowSchema(RecommendationsTable.Schema);
var batches = new List<RecordBatch>();
for (var start = 0; start < rows; start += 8192)
{
    batches.Add(Batch(start, Math.Min(8192, rows - start)));
}

var fake = new FakeBigQueryRead { RowsPerResponse = 8192 };
fake.AddTable(TableName, schema, batches);
await using var server = await FakeBigQueryReadServer.StartAsync(fake);
var window = PreviousRecommendations.Window(DateRange.Single(yesterday.AddDays(1)), 7);

for (var pass = 0; pass < 2; pass++)
{
    var clock = Stopwatch.StartNew();
    var index = await PreviousRecommendations.LoadBigQueryAsync(Table, window, server.Host, 4, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
    var seconds = clock.Elapsed.TotalSeconds;
    var peak = Environment.WorkingSet;
    var count = index.Count;
    var memoryBytes = index.MemoryBytes;
    var spillBytes = index.SpillBytes;
    index.Dispose();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(pass == 0 ? "warm-up " : "measured")} rows {rows:N0}: loaded {count:N0} accounts in {seconds:0.00} s = {rows / seconds:N0} rows/s; " +
        $"index array {memoryBytes / (double)count:0.0} B/account; " +
        $"spill file {spillBytes / (double)count:0} B/account on disk; process working set {peak / 1048576.0:N0} MiB (includes the fake's data)"));
}

return 0;

RecordBatch Batch(int start, int count)
{
    var b = RecommendationsTable.Schema.Fields.Select(_ => (object?)null).ToArray();
    var id = new StringArray.Builder(); var date = new Date32Array.Builder(); var score = new Int64Array.Builder(); var tier = new StringArray.Builder();
    var rationale = new StringArray.Builder(); var actions = new ListArray.Builder(StringType()); var items = (StringArray.Builder)actions.ValueBuilder;
    var confidence = new DoubleArray.Builder(); var scorer = new StringArray.Builder(); var model = new StringArray.Builder(); var prompt = new StringArray.Builder();
    var input = new StringArray.Builder(); var run = new StringArray.Builder(); var at = new TimestampArray.Builder(BigQueryArrowTypes.Timestamp);
    var latency = new Int64Array.Builder(); var tin = new Int64Array.Builder(); var tout = new Int64Array.Builder(); var think = new Int64Array.Builder();
    var material = new StringArray.Builder(); var carried = new Date32Array.Builder();
    for (var i = start; i < start + count; i++)
    {
        var s = i % 101;
        id.Append($"acc-{i:D8}"); date.Append(yesterday); score.Append(s); tier.Append(Tiers.ForScore(s));
        rationale.Append($"Score {s}: strong intent ({i % 90} topics) and usage up {i % 30}%, but {i % 5} open tickets; renewal in {i % 365} days.");
        actions.Append(); items.Append("Call the champion this week"); items.Append("Send the ROI calculator");
        confidence.Append(0.8); scorer.Append("gemini"); model.Append("gemini-2.5-flash"); prompt.Append("scoring-v1@1a2b3c4d");
        input.Append($"{(ulong)i * 0x9E3779B97F4A7C15UL:x16}{(ulong)i:x16}"); run.Append("run-yesterday"); at.Append(new DateTimeOffset(2026, 11, 27, 2, 0, 0, TimeSpan.Zero));
        latency.Append(900); tin.Append(1200); tout.Append(150); think.Append(0);
        material.Append($"{(ulong)(i + 1) * 0xC2B2AE3D27D4EB4FUL:x16}{(ulong)i:x16}"); carried.AppendNull();
    }

    IArrowArray[] columns = [id.Build(), date.Build(), score.Build(), tier.Build(), rationale.Build(), actions.Build(), confidence.Build(), scorer.Build(), model.Build(), prompt.Build(), input.Build(), run.Build(), at.Build(), latency.Build(), tin.Build(), tout.Build(), think.Build(), material.Build(), carried.Build()];
    return new RecordBatch(schema, columns, count);
}

static Apache.Arrow.Types.StringType StringType() => Apache.Arrow.Types.StringType.Default;

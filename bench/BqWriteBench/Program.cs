using System.Diagnostics;
using System.Globalization;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

// BigQuery sink benchmark.
//   serve [--port N]                      runs the fake BigQueryWrite (rows decoded with the sent descriptor and
//                                         counted, not kept) and prints "listening 127.0.0.1:PORT"; stops on stdin EOF.
//   write --emulator HOST:PORT [--rows N] [--batch-rows N] [--commit-rows N] [--warmup-rows N] [--target-request-bytes N]
//                                         writes N recommendations through BigQuerySink and prints the figures.
var mode = args.FirstOrDefault() ?? "help";
var options = ParseOptions(args.Skip(1).ToArray());
switch (mode)
{
    case "serve":
        {
            await using var server = await FakeBigQueryWriteServer.StartAsync(new FakeBigQueryWrite { KeepRows = false }, port: Int(options, "port", 0));
            Console.WriteLine($"listening {server.Address}");
            await Console.In.ReadToEndAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fake committed rows: {server.Service.CommittedRowCount(FakeBigQueryWriteServer.TableName)}; CPU {Environment.CpuUsage.TotalTime.TotalSeconds:0.00} s; peak RSS MB: {PeakRssMb():0}"));
            return 0;
        }

    case "write":
        return await WriteAsync(options);
    default:
        Console.Error.WriteLine("usage: serve [--port N] | write --emulator HOST:PORT [--rows N] [--batch-rows N] [--commit-rows N]");
        return 2;
}

static async Task<int> WriteAsync(Dictionary<string, string> options)
{
    var rows = Int(options, "rows", 1_000_000);
    var batchRows = Int(options, "batch-rows", 10_000);
    var sinkOptions = new BigQuerySinkOptions
    {
        Table = FakeBigQueryWriteServer.TableUri,
        EmulatorHost = options["emulator"],
        CommitRows = Int(options, "commit-rows", BigQuerySinkDefaults.CommitRows),
        TargetRequestBytes = Int(options, "target-request-bytes", BigQuerySinkDefaults.TargetRequestBytes),
    };

    // Recommendations are made batch by batch outside the timed sink calls, from 10,000 templates with a fresh
    // account id each (cheap, and the client's memory stays the sink's): the figure is the sink's own cost.
    var templates = TestRecommendations.Range(0, 10_000, runId: "bench");

    // Warm-up (JIT, connection, pools) through its own sink, not timed: the figures are the steady state.
    var warmup = Int(options, "warmup-rows", 100_000);
    if (warmup > 0)
    {
        await using var warm = new BigQuerySink(sinkOptions);
        for (var start = 0; start < warmup; start += batchRows)
        {
            var rowsOfBatch = Enumerable.Range(start, Math.Min(batchRows, warmup - start))
                .Select(i => templates[i % templates.Count] with { AccountId = "warmup-" + TestRecommendations.AccountId(i) }).ToList();
            await warm.WriteAsync(rowsOfBatch, CancellationToken.None);
        }

        await warm.CompleteAsync(CancellationToken.None);
    }

    var sinkTime = new Stopwatch();
    var wall = Stopwatch.StartNew();
    var cpuAtStart = Environment.CpuUsage.TotalTime;
    await using var sink = new BigQuerySink(sinkOptions);
    await sink.PreflightAsync(CancellationToken.None);
    var batch = new List<Recommendation>(batchRows);
    for (var start = 0; start < rows; start += batchRows)
    {
        batch.Clear();
        for (var i = start; i < Math.Min(rows, start + batchRows); i++)
        {
            batch.Add(templates[i % templates.Count] with { AccountId = TestRecommendations.AccountId(i) });
        }

        sinkTime.Start();
        await sink.WriteAsync(batch, CancellationToken.None);
        sinkTime.Stop();
    }

    sinkTime.Start();
    var result = await sink.CompleteAsync(CancellationToken.None);
    sinkTime.Stop();
    wall.Stop();
    var stats = sink.Statistics;
    var seconds = sinkTime.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"rows committed {result.RowsCommitted} in {stats.ChunksCommitted} chunks, {stats.RequestsSent} requests, {stats.BytesSent / 1e6:0.0} MB of rows"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sink time {seconds:0.00} s: {result.RowsCommitted / seconds:0} rows/s, {stats.BytesSent / 1e6 / seconds:0.0} MB/s; wall {wall.Elapsed.TotalSeconds:0.00} s (incl. making the rows): {result.RowsCommitted / wall.Elapsed.TotalSeconds:0} rows/s"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"client peak RSS MB: {PeakRssMb():0}; client CPU {(Environment.CpuUsage.TotalTime - cpuAtStart).TotalSeconds:0.00} s ({(Environment.CpuUsage.TotalTime - cpuAtStart).TotalMilliseconds * 1000 / rows:0.00} us/row); reconnects {stats.Reconnects}, retries {stats.Retries}, rejected {stats.RowsRejected}"));
    return result.RowsCommitted == rows ? 0 : 1;
}

static Dictionary<string, string> ParseOptions(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }

    return options;
}

static int Int(Dictionary<string, string> options, string name, int fallback) =>
    options.TryGetValue(name, out var v) ? int.Parse(v.Replace("_", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;

static double PeakRssMb()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
    }

    return double.NaN;
}

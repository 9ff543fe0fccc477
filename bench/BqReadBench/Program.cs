using System.Diagnostics;
using System.Globalization;
using Apache.Arrow;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.BigQuery;
using SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

// bench serve --rows N            : generates N account_signals rows for one day, serves them with the fake
//                                   BigQueryRead on 127.0.0.1, prints "listening HOST:PORT", stops at stdin EOF.
// bench read --emulator HOST:PORT --streams S [--compression lz4|zstd|none] [--decode]
//                                 : reads the day through BigQuerySource (a warm-up pass, then a measured pass) and
//                                   prints rows/s, Arrow MB/s and peak working set; --decode also runs every row
//                                   through AccountRecordDecoder (canonical JSON + hash) on the consuming thread.
const string TableName = "projects/bench-project/datasets/sales/tables/account_signals";
var day = new DateOnly(2026, 11, 27);
var options = ParseArgs(args.Skip(1).ToArray());
switch (args.FirstOrDefault())
{
    case "serve":
    {
        var rows = int.Parse(options.GetValueOrDefault("--rows", "1000000"), CultureInfo.InvariantCulture);
        var generate = Stopwatch.StartNew();
        var batches = AccountSignalsBatches.Create(rows, [day], batchRows: 8192);
        var fake = new FakeBigQueryRead { RowsPerResponse = int.Parse(options.GetValueOrDefault("--rows-per-response", "8192"), CultureInfo.InvariantCulture) };
        fake.AddTable(TableName, AccountSignalsBatches.Schema, batches);
        await using var server = await FakeBigQueryReadServer.StartAsync(fake);
        Console.WriteLine($"generated {rows:N0} rows in {generate.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"listening {server.Host}");
        await Console.In.ReadToEndAsync();
        Console.WriteLine($"fake served {fake.RowsServed:N0} rows in {fake.ReadRequests.Count} ReadRows calls");
        foreach (var e in fake.UnexpectedErrors)
        {
            Console.WriteLine($"fake error: {e}");
        }

        return 0;
    }

    case "read":
    {
        var streams = int.Parse(options.GetValueOrDefault("--streams", "1"), CultureInfo.InvariantCulture);
        var compression = options.GetValueOrDefault("--compression", "lz4") switch
        {
            "zstd" => BigQueryCompression.Zstd,
            "none" => BigQueryCompression.None,
            _ => BigQueryCompression.Lz4Frame,
        };
        var decode = options.ContainsKey("--decode");
        var sourceOptions = new BigQuerySourceOptions
        {
            Table = "bq://bench-project.sales.account_signals",
            Dates = DateRange.Single(day),
            MaxStreams = streams,
            Compression = compression,
            EmulatorHost = options["--emulator"],
        };

        // Warm-up: JIT, connection, and the fake's cache of serialized responses for this stream split.
        await ReadAsync(sourceOptions, decode: false);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var gen2Before = GC.CollectionCount(2);
        var (rows, bytes, seconds) = await ReadAsync(sourceOptions, decode);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"streams {streams,2}  {compression,-8}  {(decode ? "source+decoder" : "source"),-14}  rows {rows,9:N0}  {seconds,6:0.000} s  {rows / seconds,11:N0} rows/s  {bytes / 1e6 / seconds,7:0.0} MB/s (Arrow {bytes / 1e6:0} MB)  client CPU {cpu:0.00} s = {rows / cpu,11:N0} rows/CPU-s  gen2 GCs {GC.CollectionCount(2) - gen2Before}"));
        return 0;
    }

    default:
        Console.Error.WriteLine("usage: bench serve --rows N | bench read --emulator HOST:PORT --streams S [--compression lz4|zstd|none] [--decode]");
        return 2;
}

static async Task<(long Rows, long Bytes, double Seconds)> ReadAsync(BigQuerySourceOptions options, bool decode)
{
    var clock = Stopwatch.StartNew();
    await using var source = new BigQuerySource(options);
    await source.OpenAsync(default);
    var decoder = decode ? new AccountRecordDecoder(options.Dates, keepCanonicalJson: false) : null;
    long rows = 0, bytes = 0;
    await foreach (var batch in source.ReadAsync(default))
    {
        rows += batch.Rows.Length;
        bytes += ArrowBytes(batch.Rows);
        if (decoder is not null && decoder.Decode(batch).Records.Length != batch.Rows.Length)
        {
            throw new InvalidOperationException("the decoder dropped rows");
        }

        batch.Rows.Dispose();
    }

    return (rows, bytes, clock.Elapsed.TotalSeconds);
}

static long ArrowBytes(RecordBatch batch) => batch.Arrays.Sum(a => DataBytes(a.Data));

static long DataBytes(ArrayData data) => data.Buffers.Sum(b => (long)b.Length) + (data.Children ?? []).Sum(DataBytes);

static Dictionary<string, string> ParseArgs(string[] args)
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        map[args[i]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
    }

    return map;
}

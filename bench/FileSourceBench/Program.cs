using System.Diagnostics;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Fixtures;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Sources.Files;

// Measures the account file formats on their own: the fixture generator, the writer, and each source reading
// (and, separately, reading plus decoding) N generated rows. Usage: FileSourceBench [rows] [data-folder] [steps].
// "cpu s" is the process CPU time of the step: on a shared machine, rows/cpu-s is the steadier figure.
var rows = args.Length > 0 ? long.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
var folder = args.Length > 1 ? args[1] : Path.Combine("bench", "data");
var steps = args.Length > 2 ? args[2] : "generate,write,read,decode";
Directory.CreateDirectory(folder);
var spec = new FixtureSpec(rows, 7, new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 27));

Console.WriteLine($"rows: {rows:N0}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; server GC {System.Runtime.GCSettings.IsServerGC}");
Console.WriteLine($"{"step",-34} {"seconds",9} {"rows/s",12} {"MB/s",8} {"cpu s",8} {"rows/cpu-s",12}");

if (steps.Contains("generate", StringComparison.Ordinal))
Measure("generate (Arrow batches)", () =>
{
    long n = 0;
    foreach (var batch in AccountFixtureGenerator.Generate(spec))
    {
        n += batch.Length;
        batch.Dispose();
    }

    return (n, 0);
});

(FileFormat Format, string Name)[] formats = [(FileFormat.Csv, "csv"), (FileFormat.JsonLines, "jsonl"), (FileFormat.ArrowFile, "arrow"), (FileFormat.ArrowStream, "arrows")];
foreach (var (format, name) in formats)
{
    var path = Path.Combine(folder, $"file-bench-{rows}.{name}");
    if (!steps.Contains("write", StringComparison.Ordinal) && File.Exists(path))
    {
        continue;
    }

    Measure($"generate + write {name}", () =>
    {
        var written = AccountFileWriter.WriteAsync(AccountFixtureGenerator.Generate(spec), AccountFixtureGenerator.ArrowSchema, path, format, CancellationToken.None).GetAwaiter().GetResult();
        return (written, new FileInfo(path).Length);
    });
}

foreach (var (format, name) in formats)
{
    var path = Path.Combine(folder, $"file-bench-{rows}.{name}");
    if (steps.Contains("read", StringComparison.Ordinal))
    {
        Measure($"read {name}", () => ReadAsync(path, decode: false).GetAwaiter().GetResult());
    }

    if (steps.Contains("decode", StringComparison.Ordinal))
    {
        Measure($"read + decode {name}", () => ReadAsync(path, decode: true).GetAwaiter().GetResult());
    }
}

Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
return 0;

static async Task<(long Rows, long Bytes)> ReadAsync(string path, bool decode)
{
    await using var source = FileSources.Open(new FileSourceOptions(path));
    var plan = await source.OpenAsync(CancellationToken.None);
    var decoder = new AccountRecordDecoder(DateRange.All, keepCanonicalJson: false);
    long n = 0;
    long rejected = 0;
    await foreach (var batch in source.ReadAsync(CancellationToken.None))
    {
        using var data = batch.Rows;
        rejected += batch.Rejected.Count;
        n += decode ? decoder.Decode(batch).Records.Length : data.Length;
    }

    if (rejected > 0)
    {
        throw new InvalidOperationException($"{path}: {rejected} rows rejected");
    }

    return (n, plan.EstimatedBytes ?? 0);
}

static void Measure(string step, Func<(long Rows, long Bytes)> run)
{
    GC.Collect();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var (n, bytes) = run();
    var seconds = watch.Elapsed.TotalSeconds;
    process.Refresh();
    var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
    var mb = bytes > 0 ? $"{bytes / seconds / 1e6,8:F0}" : $"{"",8}";
    Console.WriteLine($"{step,-34} {seconds,9:F2} {n / seconds,12:N0} {mb} {cpuSeconds,8:F2} {n / cpuSeconds,12:N0}");
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Hosting;
using SalesIntel.Tests.Stages.Scoring.Gemini;

namespace SalesIntel.GeminiBench;

/// <summary>
/// <c>--scenario faults</c>: the whole <c>salesintel score --scorer gemini</c> path (CLI, Dataflow pipeline, carry-forward
/// wrapper, file sink) against the fake Vertex AI, twice on the same accounts: fault-free, then with one
/// GenerateContent in seven answering UNAVAILABLE (every seventh call the fake receives, retries included). The
/// scorer runs on the real clock with its production retry settings (full-jitter backoff from 1 s), so a call in
/// backoff really waits; what is measured is whether the others keep going meanwhile. Goal: the faulted run keeps at
/// least 80% of the fault-free throughput.
/// </summary>
internal static class FaultsScenario
{
    public static async Task<int> RunAsync(int accounts, int concurrency, double medianMs, int faultEvery)
    {
        var folder = Directory.CreateTempSubdirectory("salesintel-gemini-faults-").FullName;
        try
        {
            var source = Path.Combine(folder, "accounts.csv");
            using (var stop = new StopSignal())
            {
                var generated = await CommandDispatcher.MainAsync(["fixtures", "generate", "--rows", accounts.ToString(CultureInfo.InvariantCulture), "--dates", "2026-11-27", "--out", source], _ => null, TimeProvider.System, TextWriter.Null, Console.Error, stop);
                if (generated != 0)
                {
                    return generated;
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gemini-bench faults: {accounts} accounts through the CLI pipeline, --concurrency {concurrency}, fake latency {medianMs} ms (+/- 20%), faulted run: every {faultEvery}th GenerateContent UNAVAILABLE, real clock, {Environment.ProcessorCount} cores"));
            Console.WriteLine();
            Console.WriteLine($"{"run",-12} {"written",8} {"dead",5} {"elapsed",9} {"rows/s",8} {"calls",6} {"retries",8}");

            // Warm-up (JIT, gRPC stack, file sink) so the first measured run does not pay for it.
            await RunOnceAsync("warm-up", folder, source, concurrency, medianMs, faultEvery: 0, print: false);
            var clean = await RunOnceAsync("fault-free", folder, source, concurrency, medianMs, faultEvery: 0, print: true);
            var faulted = await RunOnceAsync($"1 in {faultEvery}", folder, source, concurrency, medianMs, faultEvery, print: true);
            var ratio = faulted.RowsPerSecond / clean.RowsPerSecond;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput ratio (faulted / fault-free): {ratio:0.00} (goal >= 0.80)"));
            return faulted.Written + faulted.DeadLettered == accounts && clean.Written == accounts ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<Result> RunOnceAsync(string name, string folder, string source, int concurrency, double medianMs, int faultEvery, bool print)
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.Latency = call => TimeSpan.FromMilliseconds(medianMs * (0.8 + (0.4 * ((uint)HashCode.Combine(call.AccountId, call.Attempt) % 1000 / 1000.0))));
        if (faultEvery > 0)
        {
            fake.FaultFor = call => call.Index % faultEvery == 0 ? FakeFault.Unavailable : FakeFault.None;
        }

        var output = Directory.CreateDirectory(Path.Combine(folder, name.Replace(' ', '-'))).FullName;
        var summaryPath = Path.Combine(output, "summary.json");
        var environment = new Dictionary<string, string>
        {
            ["VERTEX_AI_EMULATOR_HOST"] = fake.HostPort,
            ["GOOGLE_CLOUD_PROJECT"] = "bench",
        };
        using var stop = new StopSignal();
        string[] args =
        [
            "score", "--scorer", "gemini", "--source", source, "--date", "2026-11-27",
            "--sink", Path.Combine(output, "recs.csv"), "--dead-letter", Path.Combine(output, "dead.jsonl"), "--summary", summaryPath,
            "--rpm", "1000000", "--tpm", "0", "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--log-level", "error",
        ];
        var started = Stopwatch.GetTimestamp();
        var code = await CommandDispatcher.MainAsync(args, n => environment.GetValueOrDefault(n), TimeProvider.System, TextWriter.Null, Console.Error, stop);
        var elapsed = Stopwatch.GetElapsedTime(started);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryPath));
        var root = summary.RootElement;
        var written = root.GetProperty("written").GetInt32();
        var dead = root.GetProperty("dead_lettered").GetInt32();
        var retries = root.GetProperty("scorer_metrics").GetProperty("llm_retries").GetInt64();
        var result = new Result(written, dead, elapsed, written / elapsed.TotalSeconds);
        if (print)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-12} {written,8} {dead,5} {elapsed.TotalSeconds,7:0.00} s {result.RowsPerSecond,8:0} {fake.GenerateCalls,6} {retries,8}{(code == 0 ? "" : $"  exit {code}")}"));
        }

        return result;
    }

    private sealed record Result(int Written, int DeadLettered, TimeSpan Elapsed, double RowsPerSecond);
}

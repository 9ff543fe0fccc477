using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.VertexAi;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Tests.Stages.Scoring.Gemini;

// Quota-aware scoring against a fake Vertex AI: a sliding-window quota of Q requests per minute answered with
// RESOURCE_EXHAUSTED beyond it (no RetryInfo, as Vertex often sends none), and a log-normal latency (median 1.5 s,
// long tail). Time runs S times faster so a run takes well under a minute of real time: the fake and the scorer
// share a ScaledTimeProvider, so the scorer runs with production settings (per-minute limits, 1 s backoff steps,
// 60 s timeout). Only the network itself is not compressed. Three clients score the same accounts:
//   salesintel   the Gemini scorer (RPM limiter, adaptive concurrency, backoff with jitter, retry budget, breaker)
//   sequential   one call at a time, like the old Cloud Function
//   naive        every account at once, retrying a failed call immediately up to 5 times
if (Arg("--scenario", "quota") == "faults")
{
    return await SalesIntel.GeminiBench.FaultsScenario.RunAsync(Arg("--accounts", 1500), Arg("--concurrency", 16), Arg("--median-ms", 25.0), Arg("--fault-every", 7));
}

var quota = Arg("--quota", 120);
var scale = Arg("--scale", 10);
var accounts = Arg("--accounts", 600);
var capSeconds = Arg("--cap-seconds", 20);
var medianMs = Arg("--median-ms", 1500);
var sigma = Arg("--sigma", 0.6);
var clock = new SalesIntel.GeminiBench.ScaledTimeProvider(scale);
var window = TimeSpan.FromMinutes(1) / scale;
var records = TestAccounts.Many(accounts);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"gemini-bench: quota {quota} requests per minute, time x{scale} (a minute lasts {window.TotalSeconds:0.#} s), latency log-normal median {medianMs} ms sigma {sigma}, {accounts} accounts, baselines capped at {capSeconds} s real"));
// Warm up (JIT, the gRPC stack) on a throw-away fake so the first measured client does not pay for it.
await using (var warm = await FakeVertexAi.StartAsync())
{
    await using var scorer = new GeminiScorer(new GeminiScorerOptions { Project = "bench", EmulatorHost = warm.HostPort, RequestsPerMinute = 600_000, TokensPerMinute = 0 });
    await scorer.PreflightAsync(CancellationToken.None);
    foreach (var r in records.Take(20))
    {
        await scorer.ScoreAsync(r, CancellationToken.None);
    }
}

Console.WriteLine();
Console.WriteLine($"{"client",-12} {"accounts",8} {"scored",7} {"failed",7} {"lost",5} {"not run",8} {"elapsed",9} {"rate/Q",7} {"calls",6} {"429s",5} {"429 share",9}  notes");

await RunAsync("salesintel", async (fake, deadline) =>
{
    await using var scorer = new GeminiScorer(
        new GeminiScorerOptions
        {
            Project = "bench",
            Region = "us-central1",
            EmulatorHost = fake.HostPort,
            RequestsPerMinute = quota,
            TokensPerMinute = 0,
            Concurrency = Arg("--concurrency", 64),
        },
        timeProvider: clock);
    await scorer.PreflightAsync(CancellationToken.None);
    var outcomes = new List<ScoreOutcome>();
    await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = scorer.MaxParallelism }, async (r, ct) =>
    {
        var o = await scorer.ScoreAsync(r, ct);
        lock (outcomes)
        {
            outcomes.Add(o);
        }
    });
    var u = scorer.Usage;
    return new Tally(
        outcomes.Count(o => o.Recommendation is not null),
        outcomes.Count(o => o.Failure is not null),
        Lost: 0,
        NotRun: accounts - outcomes.Count,
        string.Create(CultureInfo.InvariantCulture, $"p50 {u.LatencyP50.TotalMilliseconds:0} ms p95 {u.LatencyP95.TotalMilliseconds:0} ms, {u.Retries} retries, lowest concurrency {u.LowestConcurrencyLimit}"));
});

await RunAsync("sequential", async (fake, deadline) =>
{
    using var channel = GrpcChannel.ForAddress("http://" + fake.HostPort);
    var client = new PredictionService.PredictionServiceClient(channel);
    int scored = 0, lost = 0, done = 0;
    foreach (var r in records)
    {
        if (Stopwatch.GetTimestamp() > deadline)
        {
            break;
        }

        done++;
        try
        {
            await client.GenerateContentAsync(Request(r), Headers());
            scored++;
        }
        catch (RpcException)
        {
            lost++; // the old function logged and moved on
        }
    }

    return new Tally(scored, 0, lost, accounts - done, "stopped at the cap; a full run would take " + FullRun(done));
});

await RunAsync("naive", async (fake, deadline) =>
{
    using var channel = GrpcChannel.ForAddress("http://" + fake.HostPort);
    var client = new PredictionService.PredictionServiceClient(channel);
    int scored = 0, lost = 0;
    await Task.WhenAll(records.Select(async r =>
    {
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            try
            {
                await client.GenerateContentAsync(Request(r), Headers());
                Interlocked.Increment(ref scored);
                return;
            }
            catch (RpcException) when (attempt < 6)
            {
            }
            catch (RpcException)
            {
                Interlocked.Increment(ref lost);
            }
        }
    }));
    return new Tally(scored, 0, lost, 0, "all at once, 5 immediate retries");
});

async Task RunAsync(string name, Func<FakeVertexAi, long, Task<Tally>> client)
{
    await using var fake = await FakeVertexAi.StartAsync(clock);
    fake.QuotaPerWindow = quota;
    fake.QuotaWindow = TimeSpan.FromMinutes(1);
    fake.Latency = call => LogNormal(call.AccountId, call.Attempt);
    var started = Stopwatch.GetTimestamp();
    var tally = await client(fake, started + (long)(capSeconds * Stopwatch.Frequency));
    var elapsed = Stopwatch.GetElapsedTime(started);
    // Per quota window actually spent: a client that finishes inside one window cannot claim more than it.
    var rate = tally.Scored / (Math.Max(elapsed.Ticks, window.Ticks) / (double)window.Ticks) / quota;
    var calls = fake.GenerateCalls;
    var rejected = fake.QuotaRejections;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-12} {accounts,8} {tally.Scored,7} {tally.Failed,7} {tally.Lost,5} {tally.NotRun,8} {elapsed.TotalSeconds,7:0.0} s {rate,7:P1} {calls,6} {rejected,5} {(calls == 0 ? 0 : (double)rejected / calls),9:P2}  {tally.Notes}"));
}

// Latency depends only on the account and attempt, so every client meets the same spread.
TimeSpan LogNormal(string accountId, int attempt)
{
    var random = new Random(HashCode.Combine(accountId.GetHashCode(StringComparison.Ordinal), attempt) ^ 0x5eed);
    var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
    return TimeSpan.FromMilliseconds(medianMs * Math.Exp(sigma * gaussian)); // on the scaled clock
}

string FullRun(int done) => done == 0 ? "?" : string.Create(CultureInfo.InvariantCulture, $"~{capSeconds * accounts / (double)done:0} s");

static GenerateContentRequest Request(AccountRecord r) => new()
{
    Model = "projects/bench/locations/us-central1/publishers/google/models/gemini-2.5-flash",
    Contents = { new Content { Role = "user", Parts = { new Part { Text = $"Score this account.\nBEGIN ACCOUNT DATA {r.InputHash[..16]}\n{r.CanonicalJson}\nEND ACCOUNT DATA {r.InputHash[..16]}" } } } },
};

static Metadata Headers() => new() { { "x-goog-request-params", "model=projects/bench/locations/us-central1/publishers/google/models/gemini-2.5-flash" } };

return 0;

T Arg<T>(string name, T fallback)
    where T : IParsable<T>
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Tally(int Scored, int Failed, int Lost, int NotRun, string Notes);

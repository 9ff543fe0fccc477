using System.Globalization;
using System.Text;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Composition;
using SalesIntel.Pipeline.Hosting;
using SalesIntel.Pipeline.Logging;
using SalesIntel.Stages.Decode;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Pipeline.Compare;

/// <summary>
/// <c>salesintel compare</c>: scores the same sample (the first <c>--sample</c> valid accounts of the selected dates)
/// with two sides (two models, two prompt files, or rules against a model), each with its own preflight and the
/// scorer's own pacing, retries and budgets, then prints the tier confusion matrix, the agreement rate, the mean
/// absolute score difference and per side tokens, cost per 1,000 accounts and latency percentiles, and writes the
/// paired rows to <c>--out</c>. Exits 0 when done, 1 when a side (or the source) fails, 2 for bad options, 130 when stopped.
/// </summary>
public sealed class CompareCommand(Func<string, string?> environment, TimeProvider time, TextWriter stdout, TextWriter stderr)
{
    /// <summary>The usage line.</summary>
    public const string Usage = "salesintel compare --date D --sample N --model A --model B [options]";

    /// <summary>Runs the command.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, StopSignal stop)
    {
        var (rest, models, prompts) = CompareSides.Extract(args);
        var raw = RawSettings.Load(rest, CompareCliOptions.All, ScoreOptions.Config, environment);
        if (raw.HelpRequested)
        {
            await stdout.WriteAsync(HelpText.Render(Usage, "Scores the same sample with two sides and prints how they differ. Sides: --model A --model B (two models), or two --prompt-file on one model, or --scorer rules against one model. Takes the source, date, run and gemini options of score.", CompareCliOptions.All));
            return ExitCodes.Success;
        }

        var reader = new SettingsReader(raw);
        reader.CheckEvery(CompareCliOptions.All);
        var (sides, sideProblem) = CompareSides.Resolve(models, prompts, reader.IsSet(ScoreOptions.Scorer) && reader.Get(ScoreOptions.Scorer) == "rules");
        if (sideProblem is not null)
        {
            reader.Fail(sideProblem);
        }

        // Every side but rules is gemini: the factory reads the gemini options as for --scorer gemini.
        var settings = ScoreSettings.Read(reader, environment, time) with { Scorer = "gemini" };
        var sample = reader.Get(CompareCliOptions.Sample);
        var outPath = reader.Get(CompareCliOptions.Out)!;
        if (!outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            reader.Fail($"{reader.Describe(CompareCliOptions.Out)} must end in .csv or .jsonl: the extension picks the format");
        }

        var reportPath = reader.Get(CompareCliOptions.Report);
        if (reportPath is not null && !reportPath.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            reader.Fail($"{reader.Describe(CompareCliOptions.Report)} must end in .html");
        }

        using var loggers = RunLogging.Create(settings.LogLevel, json: false, RunLogging.Labels(settings.RunId, environment), time, stdout, stderr);
        var factory = StageFactory.ReadStageOptions(settings, reader, environment, time, loggers);
        foreach (var side in sides ?? [])
        {
            if (!side.Rules && factory.GeminiOptions is { } baseOptions)
            {
                foreach (var problem in SideOptions(baseOptions, side).Problems().Where(p => !reader.Errors.Contains(p)))
                {
                    reader.Fail($"side {side.Label}: {problem}");
                }
            }
        }

        if (reader.Errors.Count > 0)
        {
            await WriteProblemsAsync(reader.Errors);
            return ExitCodes.BadConfiguration;
        }

        return await RunValidatedAsync(settings, factory, sides!, sample, outPath, reportPath, stop);
    }

    private static GeminiScorerOptions SideOptions(GeminiScorerOptions run, CompareSide side)
    {
        var options = run.Copy();
        options.Model = side.Model ?? run.Model;
        options.PromptFile = side.PromptFile ?? run.PromptFile;
        return options;
    }

    private async Task WriteProblemsAsync(IReadOnlyList<string> problems)
    {
        if (problems.Count == 1)
        {
            await stderr.WriteLineAsync($"salesintel compare: {problems[0]} (see 'salesintel compare --help')");
            return;
        }

        await stderr.WriteLineAsync($"salesintel compare: invalid configuration ({problems.Count} problems):");
        foreach (var e in problems)
        {
            await stderr.WriteLineAsync($"  - {e}");
        }
    }

    private async Task<int> RunValidatedAsync(ScoreSettings settings, StageFactory factory, IReadOnlyList<CompareSide> sides, int sample, string outPath, string? reportPath, StopSignal stop)
    {
        var token = stop.StopReading;
        var scorers = new List<IScorer>();
        var current = "source";
        try
        {
            // Built first, then preflighted in order, before any row is read: a retired or missing model on side B
            // does not cost side A's tokens.
            foreach (var side in sides)
            {
                current = $"side {side.Label}";
                scorers.Add(side.Rules ? factory.CreateRulesScorer() : factory.CreateGeminiScorer(SideOptions(factory.GeminiOptions!, side)));
            }

            var canaryCost = new decimal?[sides.Count];
            for (var i = 0; i < sides.Count; i++)
            {
                current = $"side {sides[i].Label} ({Describe(scorers[i])})";
                if (scorers[i] is GeminiScorer gemini)
                {
                    canaryCost[i] = (await gemini.CanaryAsync(token)).CostUsd;
                }
                else
                {
                    await scorers[i].PreflightAsync(token);
                }
            }

            current = "source";
            var (records, rejected, outside) = await ReadSampleAsync(factory, settings.Dates, sample, token);
            var results = new SideResult[sides.Count];
            for (var i = 0; i < sides.Count; i++)
            {
                current = $"side {sides[i].Label} ({Describe(scorers[i])})";
                results[i] = await ScoreSideAsync(scorers[i], records, token);
                results[i].Cost = scorers[i] is GeminiScorer g && g.Usage.EstimatedCostUsd is { } total ? total - (canaryCost[i] ?? 0m) : null;
            }

            var pairs = records.Select((r, k) => Pair(r.Signals.AccountId, results[0].Outcomes[k], results[1].Outcomes[k])).ToList();
            current = $"--out '{outPath}'";
            await ComparePairWriter.WriteAsync(outPath, pairs, settings.GuardCsvFormulas, token);
            var stats = CompareStatistics.From(pairs);
            var figures = Figures(sides, scorers, results);
            if (reportPath is not null)
            {
                current = $"--report '{reportPath}'";
                await CompareReport.WriteAsync(reportPath, figures, stats, records.Count, token);
            }

            await stdout.WriteAsync(Report(figures, stats, records.Count, sample, rejected, outside, outPath, reportPath));
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return ExitCodes.Cancelled;
        }
        catch (ConfigurationException e)
        {
            await stderr.WriteLineAsync($"salesintel compare: {current}: {e.Message}");
            return ExitCodes.BadConfiguration;
        }
        catch (Exception e) when (e is SalesIntelException or IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"salesintel compare: {current} failed: {e.Message}");
            return ExitCodes.Failed;
        }
        finally
        {
            foreach (var scorer in scorers)
            {
                await scorer.DisposeAsync();
            }
        }
    }

    /// <summary>The first <paramref name="sample"/> valid accounts of the dates; rows that fail decoding are counted, not fatal.</summary>
    private static async Task<(List<AccountRecord> Records, int Rejected, long Outside)> ReadSampleAsync(StageFactory factory, DateRange dates, int sample, CancellationToken token)
    {
        var records = new List<AccountRecord>(Math.Min(sample, 10_000));
        var rejected = 0;
        long outside = 0;
        await using var source = factory.CreateSource();
        await source.OpenAsync(token);
        var decoder = new AccountRecordDecoder(dates, keepCanonicalJson: true);
        await foreach (var batch in source.ReadAsync(token).WithCancellation(token))
        {
            DecodedBatch decoded;
            try
            {
                decoded = decoder.Decode(batch);
            }
            finally
            {
                batch.Rows.Dispose();
            }

            rejected += decoded.DeadLetters.Count;
            outside += decoded.OutsideDateFilter;
            records.AddRange(decoded.Records.Take(sample - records.Count));
            if (records.Count >= sample)
            {
                break;
            }
        }

        return (records, rejected, outside);
    }

    /// <summary>Scores every record with the scorer's own parallelism, pacing, retries and budgets.</summary>
    private async Task<SideResult> ScoreSideAsync(IScorer scorer, List<AccountRecord> records, CancellationToken token)
    {
        var outcomes = new ScoreOutcome[records.Count];
        var latencies = new long[records.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, records.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, scorer.MaxParallelism), CancellationToken = token }, async (k, ct) =>
        {
            var started = time.GetTimestamp();
            outcomes[k] = await scorer.ScoreAsync(records[k], ct);

            // The scorer's own call latency when it reports one (queueing and backoff excluded), else the wall time.
            latencies[k] = outcomes[k].Recommendation?.LatencyMs ?? (long)time.GetElapsedTime(started).TotalMilliseconds;
        });
        return new SideResult(outcomes, [.. outcomes.Select((o, k) => (o, k)).Where(x => x.o.Recommendation is not null).Select(x => latencies[x.k])]);
    }

    private static ComparedPair Pair(string id, ScoreOutcome a, ScoreOutcome b) =>
        new(id, a.Recommendation?.Tier, b.Recommendation?.Tier, a.Recommendation?.Score, b.Recommendation?.Score, a.Recommendation?.Rationale, b.Recommendation?.Rationale);

    private static string Describe(IScorer scorer) => scorer is GeminiScorer g ? $"gemini {g.Usage.Model}, prompt {g.PromptVersion}" : scorer.Name;

    /// <summary>Each side's own figures, for the printed block and the report page.</summary>
    private static List<CompareSideFigures> Figures(IReadOnlyList<CompareSide> sides, List<IScorer> scorers, SideResult[] results) =>
    [
        .. sides.Select((side, i) =>
        {
            var r = results[i];
            var scored = r.Outcomes.Count(o => o.Recommendation is not null);
            var per1000 = scorers[i] is not GeminiScorer ? "0 (no model calls)"
                : r.Cost is { } cost && scored > 0 ? Invariant($"${cost / scored * 1000:0.0000}") : "unknown (no price; see --price-table)";
            return new CompareSideFigures(
                side.Label,
                Describe(scorers[i]),
                scored,
                r.Outcomes.Count(o => o.Failure is not null),
                r.Outcomes.Count(o => o.NotScoredReason is not null),
                r.Outcomes.FirstOrDefault(o => o.NotScoredReason is not null)?.NotScoredReason,
                r.Outcomes.Sum(o => o.Recommendation?.InputTokens ?? 0),
                r.Outcomes.Sum(o => o.Recommendation?.OutputTokens ?? 0),
                r.Outcomes.Sum(o => o.Recommendation?.ThinkingTokens ?? 0),
                per1000,
                CompareStatistics.Percentile(r.Latencies, 50),
                CompareStatistics.Percentile(r.Latencies, 90),
                CompareStatistics.Percentile(r.Latencies, 99));
        }),
    ];

    private static string Report(IReadOnlyList<CompareSideFigures> sides, CompareStatistics stats, int accounts, int sample, int rejected, long outside, string outPath, string? reportPath)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        foreach (var side in sides)
        {
            Line($"side {side.Label}: {side.Description}");
        }

        Line(Invariant($"sample: {accounts} accounts (--sample {sample}); {rejected} rows failed decoding, {outside} outside the dates"));
        Line(Invariant($"paired: {stats.Paired}, unpaired: {stats.Unpaired}"));
        Line("tiers (rows side A, columns side B):");
        Line("      " + string.Concat(CompareStatistics.TierOrder.Select(t => $"{"B:" + t,7}")));
        foreach (var a in CompareStatistics.TierOrder)
        {
            Line($"  A:{a} " + string.Concat(CompareStatistics.TierOrder.Select(b => Invariant($"{stats.Cell(a, b),7}"))));
        }

        Line(Invariant($"agreement: {stats.AgreementRate * 100:0.0}% ({stats.Agreeing} of {stats.Paired})"));
        Line(Invariant($"mean absolute score difference: {stats.MeanAbsoluteDifference:0.00}"));
        foreach (var side in sides)
        {
            Line($"side {side.Label}:");
            Line(Invariant($"  accounts: {side.Scored} scored, {side.Failed} failed, {side.NotScored} not scored{(side.NotScoredReason is { } why ? $" ({why})" : "")}"));
            Line(Invariant($"  tokens: {side.InputTokens} in, {side.OutputTokens} out, {side.ThinkingTokens} thinking"));
            Line($"  cost per 1,000 accounts: {side.CostPer1000}");
            Line($"  latency: p50 {Ms(side.P50)}, p90 {Ms(side.P90)}, p99 {Ms(side.P99)}");
        }

        Line($"pairs written to {outPath}");
        if (reportPath is not null)
        {
            Line($"report written to {reportPath}");
        }

        return text.ToString();
    }

    private static string Ms(long? value) => value is { } v ? Invariant($"{v} ms") : "none";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class SideResult(ScoreOutcome[] outcomes, long[] latencies)
    {
        public ScoreOutcome[] Outcomes { get; } = outcomes;

        public long[] Latencies { get; } = latencies;

        public decimal? Cost { get; set; }
    }
}

using Microsoft.Extensions.Logging;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Composition;
using SalesIntel.Pipeline.Logging;
using SalesIntel.Pipeline.Reporting;
using SalesIntel.Stages.Admit;
using SalesIntel.Stages.Drift;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Sinks;
using SalesIntel.Stages.Sinks.BigQuery;
using SalesIntel.Stages.Sinks.DeadLetters;
using SalesIntel.Stages.Sources;

namespace SalesIntel.Pipeline.Hosting;

/// <summary>
/// <c>salesintel score</c>: validates every option at once, preflights the scorer and the sink, opens the source
/// and checks the guards, all before a row is read; then runs the pipeline, prints the summary and returns the exit
/// code. Expected failures end in one line naming the value and the fix, never a stack trace.
/// </summary>
public sealed class ScoreCommand
{
    private readonly Func<string, string?> _environment;
    private readonly TimeProvider _time;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private bool _json;

    /// <summary>Creates the command.</summary>
    public ScoreCommand(Func<string, string?> environment, TimeProvider time, TextWriter stdout, TextWriter stderr)
    {
        _environment = environment;
        _time = time;
        _out = stdout;
        _error = stderr;
    }

    /// <summary>The usage line.</summary>
    public const string Usage = "salesintel score [options]";

    /// <summary>Runs the command.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, StopSignal stop)
    {
        var raw = RawSettings.Load(args, ScoreOptions.All, ScoreOptions.Config, _environment);
        if (raw.HelpRequested)
        {
            await _out.WriteAsync(HelpText.Render(Usage, "Scores account_signals rows and writes account_recommendations rows. Every option can also be set by its environment variable or in a --config JSON file; the command line wins.", ScoreOptions.All));
            return ExitCodes.Success;
        }

        var reader = new SettingsReader(raw);
        reader.CheckEvery(ScoreOptions.All);
        var settings = ScoreSettings.Read(reader, _environment, _time);
        _json = RunLogging.IsJson(settings.LogFormat, ReferenceEquals(_out, Console.Out), Console.IsOutputRedirected);
        using var loggers = RunLogging.Create(settings.LogLevel, _json, RunLogging.Labels(settings.RunId, _environment), _time, _out, _error);
        var logger = loggers.CreateLogger("salesintel");
        var factory = StageFactory.ReadStageOptions(settings, reader, _environment, _time, loggers);
        if (reader.Errors.Count > 0 && _json)
        {
            // One ERROR entry for the whole configuration, the problems as a field: a log query finds it once.
            Log.InvalidConfiguration(logger, reader.Errors.Count, string.Join("; ", reader.Errors), $"{Usage} --help");
            return ExitCodes.BadConfiguration;
        }

        if (reader.Errors.Count > 0)
        {
            await _error.WriteLineAsync($"salesintel: invalid configuration ({reader.Errors.Count} problem{(reader.Errors.Count == 1 ? "" : "s")}):");
            foreach (var e in reader.Errors)
            {
                await _error.WriteLineAsync($"  - {e}");
            }

            await _error.WriteLineAsync($"Run '{Usage} --help' for every option.");
            return ExitCodes.BadConfiguration;
        }

        return await RunValidatedAsync(settings, factory, stop, logger);
    }

    private async Task<int> RunValidatedAsync(ScoreSettings settings, StageFactory factory, StopSignal stop, ILogger logger)
    {
        var started = _time.GetTimestamp();
        var startedAt = _time.GetUtcNow();
        var counters = new RunCounters();
        IAccountSource? source = null;
        IScorer? scorer = null;
        IRecommendationSink? sink = null;
        DeadLetterFile? deadLetters = null;
        BigQueryDeadLetterTable? deadLetterTable = null;
        long? deadLetterTableRows = null;
        // Built before the try (nothing connects until its preflight) so that it outlives the stages: its row is the
        // last thing a run writes.
        using var runLedger = factory.CreateRunLedger();
        var ledgerReady = false;
        string sourceText = settings.Source, sinkText = settings.Sink, scorerText = settings.Scorer;
        var status = RunStatus.Failed;
        string? error = null;
        SinkResult? committed = null;
        var limitReached = false;
        var exitCode = ExitCodes.Failed;
        var tally = settings.ReportPath is null ? null : new RunReportTally();
        DriftGate? drift = null;

        // The second Ctrl+C / SIGTERM abandons in-flight work; say so when it happens, not only in the exit code.
        using var onAbort = stop.Abort.Register(() => Log.Aborting(logger));
        var bugLogged = false;
        try
        {
            scorer = factory.CreateScorer();
            sink = factory.CreateSink();
            source = factory.CreateSource();
            sinkText = sink.Description;

            // Preflight in cost order, before any data is read: the model, then the destination, then the source.
            await scorer.PreflightAsync(stop.Abort);
            await sink.PreflightAsync(stop.Abort);
            deadLetterTable = factory.CreateDeadLetterTable();
            if (deadLetterTable is not null)
            {
                await deadLetterTable.PreflightAsync(stop.Abort);
            }

            if (runLedger is not null)
            {
                await runLedger.PreflightAsync(stop.Abort);
                ledgerReady = true;
            }

            deadLetters = DeadLetterFile.Create(settings.DeadLetterPath);
            var plan = await source.OpenAsync(stop.Abort);
            sourceText = plan.Description;
            Log.SourcePlan(logger, DescribePlan(plan));
            if (settings.DryRun)
            {
                await _out.WriteLineAsync(DryRunText(settings, plan, sink, scorer));
                return ExitCodes.Success;
            }

            new RowGuard(settings.MaxRows, settings.Limit).CheckEstimate(plan.EstimatedRows, plan.Description, settings.Dates);

            // Resume: a re-run (or a Cloud Run task retry) skips accounts whose recommendation is already committed.
            IReadOnlySet<(string AccountId, DateOnly ScoreDate)>? committedBefore = null;
            if (sink is IResumableSink resumable && !settings.Rescore)
            {
                committedBefore = await resumable.CommittedAsync(settings.Dates, stop.Abort);
            }

            // Carry-forward: unchanged accounts since their latest recommendation are not sent to the scorer.
            var carryForward = await CarryForwardSetup.WrapAsync(scorer, settings, _environment, _time, logger, stop.Abort);
            scorer = carryForward;

            // The drift gate: nothing is published before a canary sample is compared with the previous run.
            drift = DriftSetup.Create(settings, carryForward);
            if (drift is null)
            {
                Log.DriftOff(logger, "--drift-sample 0");
            }
            else if (!drift.IsDecided)
            {
                Log.DriftHolding(logger, drift.Options.SampleSize, drift.Options.MaxHeldRows);
            }

            // Stopped before a row was read: publish nothing rather than replace an earlier output with an empty one.
            stop.StopReading.ThrowIfCancellationRequested();

            Log.RunStarting(logger, settings.RunId, settings.Dates.ToString(), plan.Description, scorer.Name, sink.Description);
            IDeadLetterWriter deadLetterWriter = deadLetterTable is null ? deadLetters : new DeadLetterTee(deadLetters, deadLetterTable);
            var pipeline = new ScorePipeline(source, scorer, tally is null ? sink : new RunReportSink(sink, tally), deadLetterWriter, new PipelineOptions
            {
                Dates = settings.Dates,
                Limit = settings.Limit,
                MaxRows = settings.MaxRows,
                SinkBatchRows = settings.BatchRows,
                AlreadyCommitted = committedBefore,
                MaterialHash = CarryForwardSetup.MaterialHash(scorer, settings),
                Drift = drift,
            }, counters, logger);

            PipelineResult result;
            await using (ProgressReporter.Start(counters, !_json && ProgressReporter.IsInteractiveTerminal(_environment), TimeSpan.FromSeconds(settings.ProgressIntervalSeconds), _time, logger))
            {
                result = await pipeline.RunAsync(stop.StopReading, stop.Abort);
            }

            status = result.Status;
            committed = result.Sink;
            limitReached = pipeline.LimitReached;
            if (result.Failure is not null)
            {
                throw result.Failure;
            }

            // The dead letters of a run whose output is committed, committed once after it: an attempt that failed
            // before this point left none in the table, so its retry writes its own set without doubling rows. A
            // failure here fails the run (exit 1), and the retried task records them.
            if (deadLetterTable is not null && committed is not null)
            {
                deadLetterTableRows = await deadLetterTable.CommitAsync(stop.Abort);
                Log.DeadLettersCommitted(logger, deadLetterTableRows.Value, deadLetterTable.Table);
            }

            exitCode = status switch
            {
                RunStatus.Completed when DeadLetterRateExceeded(counters, settings.MaxDeadLetterRate) => ExitCodes.PartialWithDeadLetters,
                RunStatus.Completed => ExitCodes.Success,
                _ => ExitCodes.Cancelled,
            };

            // A scorer that stopped mid-run (model failing, retry budget spent) left the rest unscored; what it answered
            // is committed above. The run still failed: exit 1, so a Cloud Run retry resumes and scores the rest.
            if (scorer is IStopsEarly { StoppedBecause: { } stoppedBecause })
            {
                (status, exitCode, error) = (RunStatus.Failed, ExitCodes.Failed, stoppedBecause.Message);
            }
        }
        catch (OperationCanceledException) when (stop.StopReading.IsCancellationRequested)
        {
            status = RunStatus.Aborted;
            exitCode = ExitCodes.Cancelled;
        }
        catch (ConfigurationException e)
        {
            (status, exitCode, error) = (RunStatus.Failed, ExitCodes.BadConfiguration, e.Message);
        }
        catch (GuardTrippedException e)
        {
            (status, exitCode, error) = (RunStatus.Failed, ExitCodes.GuardTripped, e.Message);
        }
        catch (DriftTrippedException e)
        {
            (status, exitCode, error) = (RunStatus.Failed, ExitCodes.DriftTripped, e.Message);
        }
        catch (SalesIntelException e)
        {
            (status, exitCode, error) = (RunStatus.Failed, ExitCodes.Failed, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            (status, exitCode, error) = (RunStatus.Failed, ExitCodes.Failed, e.Message);
        }
        catch (Exception e)
        {
            Log.Bug(logger, e);
            bugLogged = true;
            (status, exitCode, error) = (RunStatus.Failed, ExitCodes.Failed, $"unexpected {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (sink is not null)
            {
                await sink.DisposeAsync();
            }

            if (scorer is not null)
            {
                await scorer.DisposeAsync();
            }

            if (source is not null)
            {
                await source.DisposeAsync();
            }

            deadLetterTable?.Dispose();
        }

        if (deadLetterTable is not null && deadLetterTableRows is null && counters.DeadLettered > 0 && deadLetters is not null)
        {
            Log.DeadLettersNotCommitted(logger, counters.DeadLettered, deadLetterTable.Table, deadLetters.Path);
        }

        // A bug's entry already carries the trace: one ERROR entry per failure.
        if (error is not null && !bugLogged)
        {
            Log.Fatal(logger, error);
        }

        // Dead letters are published even for a failed run: they explain it.
        deadLetters?.Complete();
        deadLetters?.Dispose();
        var summary = RunSummary.From(counters, settings.RunId, status, exitCode, sourceText, sinkText, scorerText, settings.Dates.ToString(), _time.GetElapsedTime(started)) with
        {
            Output = committed?.Location,
            DeadLetterFile = deadLetters?.Path,
            DeadLetterTable = deadLetterTableRows is null ? null : deadLetterTable?.Table,
            DeadLetterTableRows = deadLetterTableRows,
            Error = error,
            LimitReached = limitReached,
            ScorerMetrics = scorer is IReportsMetrics metrics ? metrics.GetMetrics() : null,
            Drift = drift?.Verdict,
        };
        if ((status is RunStatus.Completed or RunStatus.Stopped || committed is not null) && !summary.Balanced)
        {
            // The books must balance on every run that committed; if not, that is a bug and must not pass as success.
            summary = summary with { Status = RunStatus.Failed, ExitCode = ExitCodes.Failed, Error = $"accounting mismatch: read {summary.Read} != written {summary.Written} + skipped {summary.Skipped} + dead-lettered {summary.DeadLettered}" };
            Log.Fatal(logger, summary.Error!);
        }

        if (counters.DeadLettered > 0 && deadLetters is not null)
        {
            Log.DeadLettersWritten(logger, counters.DeadLettered, deadLetters.Path);
        }

        // Every run past preflight leaves its row, whatever its end. A ledger fault does not change the exit code: the
        // run's output is committed (or its failure already decided the code), and a non-zero exit would make Cloud
        // Run retry a task that has nothing left to do, only to write a bookkeeping row; the ERROR entry shows it.
        if (runLedger is not null && ledgerReady)
        {
            var written = await RunLedgerSetup.AppendAsync(runLedger, RunLedgerRow.From(summary, factory.CloudRunTask, startedAt, _time.GetUtcNow()), _time, logger);
            summary = summary with { RunLedgerTable = runLedger.Table, RunLedgerWritten = written };
        }

        if (_json)
        {
            // Every line of a JSON run is an entry; the summary is one too (INFO: a failure's ERROR was logged above).
            Log.RunFinished(logger, summary.RunId, summary.Status.ToString().ToLowerInvariant(), summary.ExitCode, summary.Read, summary.Scored, summary.Written, summary.Skipped, summary.DeadLettered, summary.Error ?? "none");
        }
        else
        {
            await _out.WriteAsync(summary.ToText());
        }

        await WriteSummaryFileAsync(settings.SummaryPath, summary, logger);
        await WriteReportFileAsync(settings.ReportPath, summary, tally, logger);
        return summary.ExitCode;
    }

    /// <summary>
    /// Whether the dead letters of a committed run are too many for it to count as done. A few bad rows in a nightly
    /// run are data to look at, not a reason for Cloud Run to retry the task (it retries any non-zero exit), so they
    /// exit 0 up to the rate; above it something systematic is wrong and the run must show as failed.
    /// </summary>
    internal static bool DeadLetterRateExceeded(RunCounters counters, double maxRate) =>
        counters.DeadLettered > 0 && counters.DeadLettered > maxRate * counters.Read;

    private static async Task WriteReportFileAsync(string? path, RunSummary summary, RunReportTally? tally, ILogger logger)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            await RunReport.WriteAsync(path, summary, tally);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal(logger, $"cannot write the report '{path}': {e.Message}");
        }
    }

    private static async Task WriteSummaryFileAsync(string path, RunSummary summary, ILogger logger)
    {
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(folder);
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, summary.ToJson());
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.Fatal(logger, $"cannot write the summary '{path}': {e.Message}");
        }
    }

    private static string DescribePlan(SourcePlan plan) =>
        $"{plan.Description}; estimated rows {plan.EstimatedRows?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}, bytes {plan.EstimatedBytes?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}";

    private static string DryRunText(ScoreSettings settings, SourcePlan plan, IRecommendationSink sink, IScorer scorer)
    {
        var lines = new List<string>
        {
            $"dry run {settings.RunId}: nothing is read or written",
            $"  source         {plan.Description}",
            $"  dates          {settings.Dates} (today is {settings.Today:yyyy-MM-dd} in {settings.TimeZone.Id})",
            $"  estimated rows {plan.EstimatedRows?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown (known only after reading)"}",
            $"  estimated bytes {plan.EstimatedBytes?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}",
            $"  columns        {string.Join(", ", plan.Schema.Fields.Select(f => f.Name))}",
            $"  scorer         {scorer.Name}",
            $"  sink           {sink.Description}",
            $"  guards         --max-rows {settings.MaxRows:N0}{(settings.Limit is { } l ? $", --limit {l:N0}" : "")}",
            $"  task timeout   {(settings.TaskTimeoutSeconds is { } t ? $"{t:0} s" : "unknown (--task-timeout)")}",
        };
        lines.AddRange(plan.Details.Select(d => "  " + d));
        return string.Join(Environment.NewLine, lines);
    }
}

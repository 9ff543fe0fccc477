using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Composition;
using SalesIntel.Pipeline.Doctor.Checks;
using SalesIntel.Pipeline.Hosting;
using SalesIntel.Pipeline.Logging;

namespace SalesIntel.Pipeline.Doctor;

/// <summary>
/// <c>salesintel doctor</c>: the runbook as code. Reads the same options as <c>score</c> (same definitions, same
/// layering), then checks credentials, project, model, source, sink, run time and cost, one line each
/// (<c>ok|warn|fail  check: what  fix: ...</c>). Exits 0 when nothing fails, 6 when a check fails, 2 for bad options.
/// Nothing is scored or written; the model's canary is one real call.
/// </summary>
public sealed class DoctorCommand(Func<string, string?> environment, TimeProvider time, TextWriter stdout, TextWriter stderr)
{
    /// <summary>The usage line.</summary>
    public const string Usage = "salesintel doctor [score options]";

    /// <summary>Runs the command.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, StopSignal stop)
    {
        var raw = RawSettings.Load(args, ScoreOptions.All, ScoreOptions.Config, environment);
        if (raw.HelpRequested)
        {
            await stdout.WriteAsync(HelpText.Render(Usage, "Checks, before a run, everything the run needs: credentials, project, model (catalog and a canary call), source, sink, run time against --task-timeout and cost against --max-cost. Takes the options of score.", ScoreOptions.All));
            return ExitCodes.Success;
        }

        var reader = new SettingsReader(raw);
        reader.CheckEvery(ScoreOptions.All);

        // As a dry run: the source reports its guards instead of stopping, so doctor can say them as findings.
        var settings = ScoreSettings.Read(reader, environment, time) with { DryRun = true };
        using var loggers = RunLogging.Create(settings.LogLevel, json: false, RunLogging.Labels(settings.RunId, environment), time, stdout, stderr);
        var factory = StageFactory.ReadStageOptions(settings, reader, environment, time, loggers);
        var maxBytes = reader.Get(ScoreOptions.MaxBytes);
        var taskCount = int.TryParse(environment("CLOUD_RUN_TASK_COUNT"), out var n) && n > 0 ? n : 1;
        if (reader.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"salesintel doctor: invalid configuration ({reader.Errors.Count} problem{(reader.Errors.Count == 1 ? "" : "s")}):");
            foreach (var e in reader.Errors)
            {
                await stderr.WriteLineAsync($"  - {e}");
            }

            return ExitCodes.BadConfiguration;
        }

        var context = new DoctorContext(settings, factory, environment, time, maxBytes, taskCount);
        IDoctorCheck[] checks = [new CredentialsCheck(), new ProjectCheck(reader), new ModelCheck(), new SourceCheck(), new SinkCheck(), new RunTimeCheck(), new CostCheck()];
        try
        {
            var results = await DoctorRunner.RunAsync(checks, context, (check, result) => stdout.WriteLineAsync(result.Line(check.Name)), stop.StopReading);
            return results.Any(r => r.Status == DoctorStatus.Fail) ? ExitCodes.DoctorFoundProblems : ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stop.StopReading.IsCancellationRequested)
        {
            return ExitCodes.Cancelled;
        }
    }
}

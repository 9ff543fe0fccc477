using System.Globalization;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Pipeline.Doctor.Checks;

/// <summary>
/// Run time: this task's rows over its effective throughput (its share of <c>--rpm</c> and <c>--tpm</c>, and
/// <c>--concurrency</c> over the canary's latency) against <c>--task-timeout</c>, which Cloud Run does not tell a task.
/// </summary>
public sealed class RunTimeCheck : IDoctorCheck
{
    /// <inheritdoc />
    public string Name => "run-time";

    /// <inheritdoc />
    public ValueTask<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Project(context));
    }

    private static DoctorCheckResult Project(DoctorContext context)
    {
        if (context.Gemini is not { } options)
        {
            return DoctorCheckResult.Ok($"not paced by a model quota ({context.Settings.Scorer} scorer)");
        }

        if (context.SourceRows is not { } rows)
        {
            return DoctorCheckResult.Warn("unknown: the source's rows are not known (see the source check)");
        }

        var tasks = context.TaskCount;
        var perMinute = PerTaskPerMinute(options, tasks, context.Canary);
        var minutes = rows / perMinute;
        var what = string.Create(CultureInfo.InvariantCulture,
            $"{rows:N0} accounts at {options.RequestsPerMinute:N0} RPM over {tasks} task{(tasks == 1 ? "" : "s")} need about {Duration(minutes)}");
        if (context.Settings.TaskTimeoutSeconds is not { } timeoutSeconds)
        {
            return DoctorCheckResult.Warn(what + "; the task timeout is unknown", "set --task-timeout to the job's timeoutSeconds (deploy/job.yaml)");
        }

        var timeout = timeoutSeconds / 60;
        what += $"; the task timeout is {Duration(timeout)}";
        if (minutes <= timeout)
        {
            return DoctorCheckResult.Ok(what);
        }

        // More tasks help only when the execution-wide limits are not what binds: --rpm is shared out between tasks.
        var raise = $"raise it to {Duration(Math.Ceiling(minutes * 1.25 / 60) * 60)}";
        var floor = rows / (double)options.RequestsPerMinute;
        var more = Enumerable.Range(tasks + 1, 10_000).FirstOrDefault(t => rows / PerTaskPerMinute(options, t, context.Canary) / t * tasks <= timeout);
        var fix = floor > timeout || more == 0
            ? $"{raise} or raise --rpm (and the model quota)"
            : $"{raise} or use {more} tasks";
        return DoctorCheckResult.Fail(what, fix);
    }

    /// <summary>Accounts per minute one task scores: the tightest of its --rpm share, its --tpm share and concurrency over latency.</summary>
    private static double PerTaskPerMinute(GeminiScorerOptions options, int tasks, GeminiCanaryResult? canary)
    {
        var share = new GeminiScorerOptions { RequestsPerMinute = options.RequestsPerMinute, TokensPerMinute = options.TokensPerMinute, TaskCount = tasks };
        var rate = (double)share.TaskRequestsPerMinute * tasks;
        if (share.TokensPerMinute > 0 && canary is { Tokens: > 0 } c)
        {
            rate = Math.Min(rate, (double)share.TaskTokensPerMinute * tasks / c.Tokens);
        }

        if (canary is { Latency.TotalSeconds: > 0 } l)
        {
            rate = Math.Min(rate, options.Concurrency * tasks * 60 / l.Latency.TotalSeconds);
        }

        // The rate of the whole execution; each task reads rows / tasks of it.
        return rate / tasks;
    }

    private static string Duration(double minutes) => minutes switch
    {
        < 1 => "under a minute",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(minutes):0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(minutes / 60):0} h{(Math.Ceiling(minutes % 60) is var m and > 0 ? $" {m:0} min" : "")}"),
    };
}

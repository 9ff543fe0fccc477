using Microsoft.Extensions.Logging;
using SalesIntel.Stages.Model;
using Spectre.Console;

namespace SalesIntel.Pipeline.Hosting;

/// <summary>
/// Shows progress while the pipeline runs: a live line on an interactive terminal (Spectre.Console), periodic
/// plain log lines otherwise (CI, Cloud Run, redirected output), so long runs are never silent.
/// </summary>
public sealed class ProgressReporter : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;

    private ProgressReporter(CancellationTokenSource stop, Task loop)
    {
        _stop = stop;
        _loop = loop;
    }

    /// <summary>Starts reporting.</summary>
    public static ProgressReporter Start(RunCounters counters, bool interactive, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        var stop = new CancellationTokenSource();
        var started = time.GetTimestamp();
        var loop = interactive
            ? Task.Run(() => LiveAsync(counters, started, time, stop.Token))
            : Task.Run(() => LogAsync(counters, interval, started, time, logger, stop.Token));
        return new ProgressReporter(stop, loop);
    }

    /// <summary>True when stdout and stderr are a terminal and not under CI.</summary>
    public static bool IsInteractiveTerminal(Func<string, string?> environment) =>
        !Console.IsOutputRedirected && !Console.IsErrorRedirected && string.IsNullOrEmpty(environment("CI")) && AnsiConsole.Profile.Capabilities.Interactive;

    private static async Task LogAsync(RunCounters c, TimeSpan interval, long started, TimeProvider time, ILogger logger, CancellationToken token)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, time, token);
                var elapsed = time.GetElapsedTime(started).TotalSeconds;
                Log.Progress(logger, c.Read, c.Scored, c.Written, c.Skipped, c.DeadLettered, elapsed > 0 ? c.Read / elapsed : 0, elapsed);
            }
        }
        catch (OperationCanceledException)
        {
            // Reporting ends with the run.
        }
    }

    private static async Task LiveAsync(RunCounters c, long started, TimeProvider time, CancellationToken token)
    {
        string Render()
        {
            var elapsed = time.GetElapsedTime(started).TotalSeconds;
            var rate = elapsed > 0 ? c.Read / elapsed : 0;
            return $"[bold]scoring[/] read [green]{c.Read:N0}[/]  scored [green]{c.Scored:N0}[/]  skipped {c.Skipped:N0}  dead-lettered [yellow]{c.DeadLettered:N0}[/]  {rate:N0} rows/s  {elapsed:0.0}s";
        }

        var text = new Markup(Render());
        await AnsiConsole.Live(text).AutoClear(true).StartAsync(async ctx =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), time, token);
                    ctx.UpdateTarget(new Markup(Render()));
                }
            }
            catch (OperationCanceledException)
            {
                // Reporting ends with the run.
            }
        });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

using Microsoft.Extensions.Time.Testing;
using SalesIntel.Pipeline.Cli;
using SalesIntel.Pipeline.Hosting;

namespace SalesIntel.Tests.Support;

/// <summary>Runs the real CLI in-process and captures what a user would see.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

public static class CliRun
{
    /// <summary>The frozen time CLI tests run at, unless they pass their own clock.</summary>
    public static DateTimeOffset Now { get; } = new(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);

    public static async Task<CliResult> RunAsync(string[] args, Dictionary<string, string>? environment = null, StopSignal? stop = null, TimeProvider? time = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var ownStop = new StopSignal();
        var env = environment ?? [];
        var code = await CommandDispatcher.MainAsync(args, name => env.GetValueOrDefault(name), time ?? new FakeTimeProvider(Now), stdout, stderr, stop ?? ownStop)
            .WaitAsync(TimeSpan.FromSeconds(60));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

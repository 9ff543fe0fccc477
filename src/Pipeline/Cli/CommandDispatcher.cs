using SalesIntel.Pipeline.Compare;
using SalesIntel.Pipeline.Doctor;
using SalesIntel.Pipeline.Fixtures;
using SalesIntel.Pipeline.Hosting;

namespace SalesIntel.Pipeline.Cli;

/// <summary>The command dispatcher, separate from Program so tests run the real CLI in-process.</summary>
public static class CommandDispatcher
{
    /// <summary>The top-level help.</summary>
    public const string TopHelp = """
        salesintel: scores sales accounts and writes recommendations.

        usage:
          salesintel score [options]                 score accounts (see salesintel score --help)
          salesintel doctor [score options]          check credentials, model, source, sink, run time and cost before a run
          salesintel compare --model A --model B     score one sample with two models (or two --prompt-file) and print how they differ
          salesintel fixtures generate [options]     write deterministic test accounts (see salesintel fixtures generate --help)

        exit codes: 0 success, 1 failed, 2 bad configuration, 3 guard tripped, 4 finished with dead letters, 6 doctor found problems, 130 cancelled
        """;

    /// <summary>Runs one command.</summary>
    public static async Task<int> MainAsync(IReadOnlyList<string> args, Func<string, string?> environment, TimeProvider time, TextWriter stdout, TextWriter stderr, StopSignal stop)
    {
        string[] words = [.. args];
        switch (words)
        {
            case ["score", .. var rest]:
                return await new ScoreCommand(environment, time, stdout, stderr).RunAsync(rest, stop);
            case ["doctor", .. var rest]:
                return await new DoctorCommand(environment, time, stdout, stderr).RunAsync(rest, stop);
            case ["compare", .. var rest]:
                return await new CompareCommand(environment, time, stdout, stderr).RunAsync(rest, stop);
            case ["fixtures", "generate", .. var rest]:
                return await new FixturesCommand(stdout, stderr).RunAsync(rest, stop.Abort);
            case [] or ["--help"] or ["-h"] or ["help"]:
                await stdout.WriteLineAsync(TopHelp);
                return args.Count == 0 ? ExitCodes.BadConfiguration : ExitCodes.Success;
            default:
                await stderr.WriteLineAsync($"salesintel: unknown command '{string.Join(' ', args.Take(2))}'.");
                await stderr.WriteLineAsync(TopHelp);
                return ExitCodes.BadConfiguration;
        }
    }
}

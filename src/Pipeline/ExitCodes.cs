namespace SalesIntel.Pipeline;

/// <summary>The process exit codes, documented in the README and docs/CLI.md.</summary>
public static class ExitCodes
{
    /// <summary>Every selected row was written or deliberately skipped, or dead-lettered within --max-dead-letter-rate.</summary>
    public const int Success = 0;

    /// <summary>A fatal error: unreadable source, failed commit, a bug. Nothing was published by the final commit.</summary>
    public const int Failed = 1;

    /// <summary>Bad options or environment; nothing was read.</summary>
    public const int BadConfiguration = 2;

    /// <summary>A guard (--max-rows, --max-bytes) stopped the run; nothing was published.</summary>
    public const int GuardTripped = 3;

    /// <summary>The run finished and committed, but more rows than --max-dead-letter-rate allows went to the dead letters.</summary>
    public const int PartialWithDeadLetters = 4;

    /// <summary>The drift gate tripped with --on-drift fail: the canary sample differs too much from the previous run; nothing was published.</summary>
    public const int DriftTripped = 5;

    /// <summary><c>salesintel doctor</c> found at least one failing check (never a <c>score</c> exit code).</summary>
    public const int DoctorFoundProblems = 6;

    /// <summary>Stopped by Ctrl+C or SIGTERM (128 + SIGINT); finished work was committed unless stopped twice.</summary>
    public const int Cancelled = 130;
}

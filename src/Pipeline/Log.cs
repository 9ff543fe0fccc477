using Microsoft.Extensions.Logging;

namespace SalesIntel.Pipeline;

/// <summary>The pipeline's log messages, source-generated, with fixed event ids (1000-1999).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Stop requested: stopped reading after {Read} rows; finishing in-flight work and committing it. Press Ctrl+C again to abandon it.")]
    public static partial void StoppedReading(ILogger logger, long read);

    [LoggerMessage(1002, LogLevel.Information, "--limit {Limit} reached: stopped reading.")]
    public static partial void LimitReached(ILogger logger, long limit);

    [LoggerMessage(1003, LogLevel.Information, "progress: read {Read}, scored {Scored}, written {Written}, skipped {Skipped}, dead-lettered {DeadLettered}, {Rate:0} rows/s, {Elapsed:0.0}s elapsed")]
    public static partial void Progress(ILogger logger, long read, long scored, long written, long skipped, long deadLettered, double rate, double elapsed);

    [LoggerMessage(1004, LogLevel.Information, "source: {Plan}")]
    public static partial void SourcePlan(ILogger logger, string plan);

    [LoggerMessage(1005, LogLevel.Information, "run {RunId}: scoring {Dates} from {Source} with the {Scorer} scorer into {Sink}")]
    public static partial void RunStarting(ILogger logger, string runId, string dates, string source, string scorer, string sink);

    [LoggerMessage(1006, LogLevel.Warning, "{Count} rows were dead-lettered; see {Path}")]
    public static partial void DeadLettersWritten(ILogger logger, long count, string path);

    [LoggerMessage(1007, LogLevel.Information, "Second stop request: abandoning in-flight work; nothing more will be committed.")]
    public static partial void Aborting(ILogger logger);

    [LoggerMessage(1008, LogLevel.Error, "{Message}")]
    public static partial void Fatal(ILogger logger, string message);

    [LoggerMessage(1009, LogLevel.Error, "Unexpected failure (a bug; please report it with this trace)")]
    public static partial void Bug(ILogger logger, Exception exception);

    [LoggerMessage(1010, LogLevel.Information, "carry-forward: {Accounts} accounts from {RowsSeen} earlier rows of {Window} in {From} ({Bytes} bytes in memory, {SpillBytes} spilled); loaded in {Seconds:0.00}s")]
    public static partial void CarryForwardLoaded(ILogger logger, int accounts, long rowsSeen, string window, string from, long bytes, long spillBytes, double seconds);

    [LoggerMessage(1011, LogLevel.Information, "carry-forward is off: {Reason}")]
    public static partial void CarryForwardOff(ILogger logger, string reason);

    [LoggerMessage(1012, LogLevel.Error, "invalid configuration ({Count} problem(s)): {Problems}. Run '{Help}' for every option.")]
    public static partial void InvalidConfiguration(ILogger logger, int count, string problems, string help);

    [LoggerMessage(1013, LogLevel.Information, "run {RunId}: {Status} (exit {ExitCode}): read {Read}, scored {Scored}, written {Written}, skipped {Skipped}, dead-lettered {DeadLettered}; error: {Error}")]
    public static partial void RunFinished(ILogger logger, string runId, string status, int exitCode, long read, long scored, long written, long skipped, long deadLettered, string error);

    [LoggerMessage(1160, LogLevel.Information, "drift gate passed: {Verdict}")]
    public static partial void DriftPassed(ILogger logger, string verdict);

    [LoggerMessage(1161, LogLevel.Warning, "drift gate tripped; publishing anyway (--on-drift warn): {Verdict}")]
    public static partial void DriftWarned(ILogger logger, string verdict);

    [LoggerMessage(1162, LogLevel.Information, "drift gate: {Verdict}; not blocking")]
    public static partial void DriftNothingToCompare(ILogger logger, string verdict);

    [LoggerMessage(1163, LogLevel.Information, "drift gate: nothing is published until {Sample} freshly scored accounts are compared with their previous recommendations (at most {Cap} rows held back)")]
    public static partial void DriftHolding(ILogger logger, int sample, int cap);

    [LoggerMessage(1164, LogLevel.Information, "drift gate is off: {Reason}")]
    public static partial void DriftOff(ILogger logger, string reason);

    [LoggerMessage(1165, LogLevel.Information, "{Count} dead letters committed to {Table}")]
    public static partial void DeadLettersCommitted(ILogger logger, long count, string table);

    [LoggerMessage(1166, LogLevel.Warning, "{Count} dead letters were not committed to {Table}: the run did not commit its output, so a retried task records its own; they are in {Path}")]
    public static partial void DeadLettersNotCommitted(ILogger logger, long count, string table, string path);

    [LoggerMessage(1167, LogLevel.Information, "Run ledger row committed to {Table} (status {Status}, exit {ExitCode})")]
    public static partial void RunLedgerWritten(ILogger logger, string table, string status, int exitCode);

    [LoggerMessage(1168, LogLevel.Error, "The run ledger row was not written to {Table}: {Reason}; the run's exit code is unchanged, its summary is in the log and the --summary file")]
    public static partial void RunLedgerNotWritten(ILogger logger, string table, string reason);
}

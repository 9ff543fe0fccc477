using Microsoft.Extensions.Logging;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>Log messages of the dead-letter table and the run ledger (event ids 1100-1109).</summary>
internal static partial class TableWriteLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "BigQuery: {Table} fits the {What} rows SalesIntel writes")]
    public static partial void PreflightPassed(ILogger logger, string table, string what);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "BigQuery: {Rows} {What} row(s) committed to {Table} at {CommitTime} in one stream ({Stream})")]
    public static partial void Committed(ILogger logger, long rows, string what, string table, DateTimeOffset commitTime, string stream);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "BigQuery: a {What} row was refused by {Table} and is only in the local file and this log: {Message}")]
    public static partial void RowRefused(ILogger logger, string what, string table, string message);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "BigQuery: the {What} stream {Stream} was not committed ({Rows} rows dropped with it): the run did not reach its final commit")]
    public static partial void Discarded(ILogger logger, string what, string stream, long rows);
}

using Microsoft.Extensions.Logging;

namespace SalesIntel.Stages.Sinks.BigQuery.Internal;

/// <summary>The BigQuery sink's log messages (event ids 4100-4199).</summary>
internal static partial class BigQuerySinkLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "BigQuery sink: {Table} fits; writing through PENDING streams, commit every {CommitRows} rows or {CommitSeconds} s")]
    public static partial void PreflightPassed(ILogger logger, string table, int commitRows, double commitSeconds);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "BigQuery sink: chunk {Chunk} opened on stream {Stream}")]
    public static partial void ChunkOpened(ILogger logger, int chunk, string stream);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "BigQuery sink: chunk {Chunk} committed, {Rows} rows at {CommitTime} ({TotalRows} rows committed so far)")]
    public static partial void ChunkCommitted(ILogger logger, int chunk, long rows, DateTimeOffset commitTime, long totalRows);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "BigQuery sink: retry {Attempt} in {DelayMs:0} ms after: {Reason}")]
    public static partial void Retrying(ILogger logger, int attempt, double delayMs, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "BigQuery sink: AppendRows connection to {Stream} lost ({Reason}); reconnecting and resending from offset {Offset}")]
    public static partial void ConnectionLost(ILogger logger, string stream, string reason, long offset);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "BigQuery sink: {Count} row(s) rejected by BigQuery in stream {Stream}; the rest of the request is resent")]
    public static partial void RowsRejected(ILogger logger, int count, string stream);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "BigQuery sink: chunk {Chunk} ({Rows} rows on {Stream}) aborted: never committed")]
    public static partial void ChunkAborted(ILogger logger, int chunk, long rows, string stream);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Information, Message = "BigQuery sink: append at offset {Offset} of {Stream} already existed (an earlier attempt landed); counted once")]
    public static partial void AlreadyExists(ILogger logger, long offset, string stream);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Information, Message = "BigQuery sink: {Table} already holds {Count} committed recommendation(s) for {Dates}; those accounts are skipped")]
    public static partial void CommittedRead(ILogger logger, int count, string table, string dates);
}

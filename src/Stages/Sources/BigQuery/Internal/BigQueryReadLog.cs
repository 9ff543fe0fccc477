using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>Log events of the BigQuery source (event ids 3000-3099).</summary>
internal static partial class BigQueryReadLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Read session {Session} on {Table}: {Streams} stream(s), about {Rows} rows and {Bytes} bytes, filter {Filter}")]
    public static partial void SessionCreated(ILogger logger, string session, string table, int streams, long rows, long bytes, string filter);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "CreateReadSession on {Table} failed with {Status}; attempt {Attempt}, retrying in {Delay}")]
    public static partial void SessionRetry(ILogger logger, string table, StatusCode status, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "ReadRows on {Stream} broke at offset {Offset} with {Status} ({Detail}); resuming in {Delay}")]
    public static partial void StreamResume(ILogger logger, string stream, long offset, StatusCode status, string detail, TimeSpan delay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "ReadRows on {Stream} finished after {Rows} rows")]
    public static partial void StreamDone(ILogger logger, string stream, long rows);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Stopped reading {Table} at the limit of {Limit} rows")]
    public static partial void LimitReached(ILogger logger, string table, long limit);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "ReadRows on {Stream} is throttled at {Percent}%")]
    public static partial void Throttled(ILogger logger, string stream, int percent);
}

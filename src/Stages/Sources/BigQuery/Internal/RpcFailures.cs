using Grpc.Core;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>Which gRPC failures of the read path are worth another attempt, and the one-line errors for the rest.</summary>
internal static class RpcFailures
{
    /// <summary>CreateReadSession failures the service config retries, plus RESOURCE_EXHAUSTED (quota, throttling).</summary>
    public static bool IsRetryableSessionFailure(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded;

    /// <summary>
    /// A ReadRows stream that broke in transit: UNAVAILABLE, RESOURCE_EXHAUSTED, or INTERNAL / UNKNOWN caused by the
    /// HTTP/2 stream being reset or the connection dropping (what the Java and Go clients also resume on).
    /// </summary>
    public static bool IsResumableStreamBreak(RpcException e) => e.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.ResourceExhausted => true,
        StatusCode.Internal or StatusCode.Unknown => IsTransportBreak(e.Status.Detail) || IsTransportBreak(e.Status.DebugException?.ToString()),
        _ => false,
    };

    // What a broken HTTP/2 stream looks like: the Go/Java servers' "RST_STREAM" / "unexpected EOS" texts, and what
    // Grpc.Net.Client reports for a reset stream or a connection that ended mid-response.
    private static bool IsTransportBreak(string? text) => text is not null && (
        text.Contains("RST_STREAM", StringComparison.OrdinalIgnoreCase)
        || text.Contains("unexpected EOS", StringComparison.OrdinalIgnoreCase)
        || text.Contains("reset the stream", StringComparison.OrdinalIgnoreCase)
        || text.Contains("ended prematurely", StringComparison.OrdinalIgnoreCase)
        || text.Contains("HttpIOException", StringComparison.Ordinal));

    /// <summary>The error for a CreateReadSession that failed for good.</summary>
    public static SourceException SessionFailure(RpcException e, ReadTarget target, int attempts)
    {
        var t = target.Table;
        var said = Said(e);
        return e.StatusCode switch
        {
            StatusCode.NotFound => new SourceException(
                $"{t.Uri}: BigQuery table {t.ResourceName} was not found ({said}); check the project, dataset and table in --source and that billing project '{target.BillingProject}' can see it.", inner: e),
            StatusCode.PermissionDenied => new SourceException(
                $"{t.Uri}: permission denied ({said}); grant the caller BigQuery Read Session User (roles/bigquery.readSessionUser) on project '{target.BillingProject}' and BigQuery Data Viewer (roles/bigquery.dataViewer) on the table or dataset '{t.ProjectId}.{t.DatasetId}'.", inner: e),
            StatusCode.InvalidArgument => new SourceException(
                $"{t.Uri}: BigQuery rejected the read session ({said}); columns requested: {target.ColumnList}; filter: {target.RowRestriction ?? "none"}. Check that the table has these columns (schema in deploy/account_signals.sql).", inner: e),
            StatusCode.Unauthenticated => new SourceException(
                $"{t.Uri}: the credentials were rejected ({said}); {GoogleFixHints.Credentials}.", inner: e),
            _ when IsRetryableSessionFailure(e) => new SourceException(
                $"{t.Uri}: CreateReadSession still failing after {attempts} attempt(s) ({said}); BigQuery is throttling or unavailable, try again later.", isTransient: true, inner: e),
            _ => new SourceException($"{t.Uri}: CreateReadSession failed ({said}).", inner: e),
        };
    }

    /// <summary>The error for a ReadRows stream that cannot be resumed.</summary>
    public static SourceException StreamFailure(RpcException e, ReadTarget target, string stream, long offset, int attempts)
    {
        var resumable = IsResumableStreamBreak(e);
        var what = resumable
            ? $"broke {attempts} time(s) in a row without delivering a row"
            : "failed";
        var hint = e.StatusCode switch
        {
            StatusCode.NotFound or StatusCode.FailedPrecondition => " The read session may have expired (sessions last 6 hours): run again.",
            StatusCode.PermissionDenied => " Grant the caller BigQuery Data Viewer (roles/bigquery.dataViewer) on the table.",
            _ when resumable => " Try again later.",
            _ => "",
        };
        return new SourceException($"{target.Table.Uri}: ReadRows on {stream} {what} at offset {offset} ({Said(e)}).{hint}", resumable, e);
    }

    private static string Said(RpcException e)
    {
        var delay = RpcErrorDetails.RetryDelay(e);
        var detail = e.Status.Detail.ReplaceLineEndings(" ");
        return delay is null ? $"{e.StatusCode}: {detail}" : $"{e.StatusCode}: {detail}; retry after {delay.Value.TotalSeconds:0.###} s";
    }
}

using Grpc.Core;
using SalesIntel.Stages.Errors;
using SalesIntel.Stages.GoogleApis;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>
/// The read path's part of the Google RPC layer: which failures of its two calls are worth another attempt, and the
/// wording of the one-line errors for the rest (the facts come from <see cref="GoogleRpcFailure"/>).
/// </summary>
internal static class RpcFailures
{
    /// <summary>CreateReadSession failures the service config retries, plus RESOURCE_EXHAUSTED (quota, throttling).</summary>
    public static bool IsRetryableSessionFailure(GoogleRpcFailure f) =>
        f.Code is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded;

    /// <summary>
    /// A ReadRows stream that broke in transit: UNAVAILABLE, RESOURCE_EXHAUSTED, or a transport break (INTERNAL /
    /// UNKNOWN caused by the HTTP/2 stream being reset or the connection dropping, what the Java and Go clients also
    /// resume on).
    /// </summary>
    public static bool IsResumableStreamBreak(GoogleRpcFailure f) =>
        f.Code is StatusCode.Unavailable or StatusCode.ResourceExhausted || f.IsTransportBreak;

    /// <summary>The error for a CreateReadSession that failed for good.</summary>
    public static SourceException SessionFailure(GoogleRpcFailure f, ReadTarget target, int attempts)
    {
        var t = target.Table;
        var e = f.Exception;
        return f.Code switch
        {
            StatusCode.NotFound => new SourceException(
                $"{t.Uri}: BigQuery table {t.ResourceName} was not found ({f.Said}); check the project, dataset and table in --source and that billing project '{target.BillingProject}' can see it.", inner: e),
            StatusCode.PermissionDenied => new SourceException(
                $"{t.Uri}: permission denied ({f.Said}); grant the caller BigQuery Read Session User (roles/bigquery.readSessionUser) on project '{target.BillingProject}' and BigQuery Data Viewer (roles/bigquery.dataViewer) on the table or dataset '{t.ProjectId}.{t.DatasetId}'.", inner: e),
            StatusCode.InvalidArgument => new SourceException(
                $"{t.Uri}: BigQuery rejected the read session ({f.Said}); columns requested: {target.ColumnList}; filter: {target.RowRestriction ?? "none"}. Check that the table has these columns (schema in deploy/account_signals.sql).", inner: e),
            StatusCode.Unauthenticated => new SourceException(
                $"{t.Uri}: the credentials were rejected ({f.Said}); {f.FixHint}.", inner: e),
            _ when IsRetryableSessionFailure(f) => new SourceException(
                $"{t.Uri}: CreateReadSession still failing after {attempts} attempt(s) ({f.Said}); BigQuery is throttling or unavailable, try again later.", isTransient: true, inner: e),
            _ => new SourceException($"{t.Uri}: CreateReadSession failed ({f.Said}).", inner: e),
        };
    }

    /// <summary>The error for a ReadRows stream that cannot be resumed.</summary>
    public static SourceException StreamFailure(GoogleRpcFailure f, ReadTarget target, string stream, long offset, int attempts)
    {
        var resumable = IsResumableStreamBreak(f);
        var what = resumable
            ? $"broke {attempts} time(s) in a row without delivering a row"
            : "failed";
        var hint = f.Code switch
        {
            StatusCode.NotFound or StatusCode.FailedPrecondition => " The read session may have expired (sessions last 6 hours): run again.",
            StatusCode.PermissionDenied => " Grant the caller BigQuery Data Viewer (roles/bigquery.dataViewer) on the table.",
            _ when resumable => " Try again later.",
            _ => "",
        };
        return new SourceException($"{target.Table.Uri}: ReadRows on {stream} {what} at offset {offset} ({f.Said}).{hint}", resumable, f.Exception);
    }
}

using System.Globalization;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace SalesIntel.Stages.GoogleApis;

/// <summary>
/// One reading of a failed Google API call, shared by every API we call: the status code, the server's message on
/// one line, the structured details Google attaches (RetryInfo, ErrorInfo, QuotaFailure), whether the failure is
/// transient, and the fix SalesIntel can name for it. Each API keeps its own wording (what was being done, to which
/// resource, which role to grant) and builds its message from these parts, so the facts are read once and the
/// advice is the same everywhere.
/// </summary>
public sealed class GoogleRpcFailure
{
    /// <summary>The <see cref="ErrorInfo.Reason"/> Google sends when the API is not enabled in the project.</summary>
    public const string ServiceDisabledReason = "SERVICE_DISABLED";

    private GoogleRpcFailure(RpcException exception)
    {
        Exception = exception;
        Code = exception.StatusCode;
        ServerMessage = (exception.Status.Detail ?? "").ReplaceLineEndings(" ");
        RetryDelay = RpcErrorDetails.RetryDelay(exception);
        ErrorInfo = RpcErrorDetails.Detail<ErrorInfo>(exception);
        QuotaFailure = RpcErrorDetails.Detail<QuotaFailure>(exception);
        IsTransportBreak = Code is StatusCode.Internal or StatusCode.Unknown
            && (IsTransportBreakText(exception.Status.Detail) || IsTransportBreakText(exception.Status.DebugException?.ToString()));
    }

    /// <summary>The failed call.</summary>
    public RpcException Exception { get; }

    /// <summary>The gRPC status code.</summary>
    public StatusCode Code { get; }

    /// <summary>The server's message with line breaks replaced by spaces, so an error stays one line.</summary>
    public string ServerMessage { get; }

    /// <summary>The delay the server asked for (RetryInfo), or null when it sent none.</summary>
    public TimeSpan? RetryDelay { get; }

    /// <summary>The ErrorInfo detail (reason, domain, metadata such as the disabled service), or null.</summary>
    public ErrorInfo? ErrorInfo { get; }

    /// <summary>The QuotaFailure detail (which quota was exceeded), or null.</summary>
    public QuotaFailure? QuotaFailure { get; }

    /// <summary>
    /// True when an INTERNAL or UNKNOWN status reports a broken transport rather than a server error: the HTTP/2
    /// stream was reset or the connection ended mid-response. Another attempt on a new stream usually succeeds.
    /// </summary>
    public bool IsTransportBreak { get; }

    /// <summary>
    /// True when the same call may succeed later: UNAVAILABLE, RESOURCE_EXHAUSTED (quota, throttling),
    /// DEADLINE_EXCEEDED, ABORTED, or a transport break. Which of these an operation retries is its own decision
    /// (an append retries more codes than a session open); this is the default answer and the one errors report.
    /// </summary>
    public bool IsTransient => IsTransportBreak
        || Code is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded or StatusCode.Aborted;

    /// <summary>
    /// What the user can do about it, when there is one fix whatever the API: new credentials for UNAUTHENTICATED,
    /// enabling the API for a SERVICE_DISABLED refusal. Null otherwise (the API's own wording names roles and
    /// resources).
    /// </summary>
    public string? FixHint => Code switch
    {
        StatusCode.Unauthenticated => GoogleFixHints.Credentials,
        StatusCode.PermissionDenied when ErrorInfo is { Reason: ServiceDisabledReason } info => GoogleFixHints.EnableService(
            info.Metadata.TryGetValue("service", out var service) ? service : info.Domain,
            info.Metadata.TryGetValue("consumer", out var consumer) ? consumer : null),
        _ => null,
    };

    /// <summary>What the server said, as errors quote it: <c>Code: message</c>, plus the RetryInfo delay when sent.</summary>
    public string Said => RetryDelay is { } delay
        ? string.Create(CultureInfo.InvariantCulture, $"{Code}: {ServerMessage}; retry after {delay.TotalSeconds:0.###} s")
        : $"{Code}: {ServerMessage}";

    /// <summary>Reads <paramref name="exception"/>.</summary>
    public static GoogleRpcFailure From(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new GoogleRpcFailure(exception);
    }

    /// <summary>The first detail of type <typeparamref name="T"/> the server attached, or null.</summary>
    public T? Detail<T>()
        where T : class, IMessage<T>, new() => RpcErrorDetails.Detail<T>(Exception);

    // What a broken HTTP/2 stream looks like: the Go/Java servers' "RST_STREAM" / "unexpected EOS" texts, and what
    // Grpc.Net.Client reports for a reset stream or a connection that ended mid-response.
    private static bool IsTransportBreakText(string? text) => text is not null && (
        text.Contains("RST_STREAM", StringComparison.OrdinalIgnoreCase)
        || text.Contains("unexpected EOS", StringComparison.OrdinalIgnoreCase)
        || text.Contains("reset the stream", StringComparison.OrdinalIgnoreCase)
        || text.Contains("ended prematurely", StringComparison.OrdinalIgnoreCase)
        || text.Contains("HttpIOException", StringComparison.Ordinal));
}

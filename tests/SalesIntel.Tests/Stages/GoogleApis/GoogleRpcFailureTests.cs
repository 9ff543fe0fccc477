using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using SalesIntel.Stages.GoogleApis;

namespace SalesIntel.Tests.Stages.GoogleApis;

public sealed class GoogleRpcFailureTests
{
    private static RpcException Failure(StatusCode code, string message, params IMessage[] details) =>
        new(new Grpc.Core.Status(code, message), RpcErrorDetails.Trailers(code, message, details));

    [Fact]
    public void From_StatusWithRetryInfoErrorInfoAndQuotaFailure_ReadsEveryDetail()
    {
        var quota = new QuotaFailure { Violations = { new QuotaFailure.Types.Violation { Subject = "project:acme", Description = "concurrent read sessions" } } };
        var e = Failure(
            StatusCode.ResourceExhausted,
            "Quota exceeded",
            new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(2.5)) },
            new ErrorInfo { Reason = "RATE_LIMIT_EXCEEDED", Domain = "googleapis.com" },
            quota);

        var f = GoogleRpcFailure.From(e);

        Assert.Equal(StatusCode.ResourceExhausted, f.Code);
        Assert.Equal(TimeSpan.FromSeconds(2.5), f.RetryDelay);
        Assert.Equal("RATE_LIMIT_EXCEEDED", f.ErrorInfo?.Reason);
        Assert.Equal("concurrent read sessions", Assert.Single(f.QuotaFailure!.Violations).Description);
        Assert.Equal("ResourceExhausted: Quota exceeded; retry after 2.5 s", f.Said);
        Assert.True(f.IsTransient);
        Assert.Null(f.FixHint);
    }

    [Fact]
    public void From_BareRetryInfoTrailer_ReadsTheDelay()
    {
        var trailers = new Metadata { { "google.rpc.retryinfo-bin", new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(7)) }.ToByteArray() } };

        var f = GoogleRpcFailure.From(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "later"), trailers));

        Assert.Equal(TimeSpan.FromSeconds(7), f.RetryDelay);
        Assert.Equal("Unavailable: later; retry after 7 s", f.Said);
    }

    [Fact]
    public void From_NoDetails_SaysCodeAndOneLineMessage()
    {
        var f = GoogleRpcFailure.From(new RpcException(new Grpc.Core.Status(StatusCode.NotFound, "Table not found\nat line 2")));

        Assert.Null(f.RetryDelay);
        Assert.Null(f.ErrorInfo);
        Assert.Equal("Table not found at line 2", f.ServerMessage);
        Assert.Equal("NotFound: Table not found at line 2", f.Said);
        Assert.False(f.IsTransient);
    }

    [Fact]
    public void From_CorruptStatusTrailer_IsReadAsNoDetails()
    {
        var trailers = new Metadata { { "grpc-status-details-bin", new byte[] { 0xFF, 0xFF, 0xFF } } };

        var f = GoogleRpcFailure.From(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "x"), trailers));

        Assert.Null(f.RetryDelay);
        Assert.Null(f.ErrorInfo);
        Assert.True(f.IsTransient);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.Aborted, true)]
    [InlineData(StatusCode.Internal, false)]
    [InlineData(StatusCode.Unknown, false)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.PermissionDenied, false)]
    [InlineData(StatusCode.NotFound, false)]
    [InlineData(StatusCode.Unauthenticated, false)]
    [InlineData(StatusCode.FailedPrecondition, false)]
    public void IsTransient_ByCode(StatusCode code, bool transient) =>
        Assert.Equal(transient, GoogleRpcFailure.From(new RpcException(new Grpc.Core.Status(code, "server error"))).IsTransient);

    [Theory]
    [InlineData(StatusCode.Internal, "Received RST_STREAM with error code 2")]
    [InlineData(StatusCode.Internal, "unexpected EOS on DATA frame")]
    [InlineData(StatusCode.Unknown, "The HTTP/2 server reset the stream")]
    [InlineData(StatusCode.Unknown, "The response ended prematurely")]
    public void IsTransportBreak_InternalOrUnknownFromABrokenStream_IsTransient(StatusCode code, string message)
    {
        var f = GoogleRpcFailure.From(new RpcException(new Grpc.Core.Status(code, message)));

        Assert.True(f.IsTransportBreak);
        Assert.True(f.IsTransient);
    }

    [Fact]
    public void IsTransportBreak_ABreakTextUnderAnotherCode_IsNotABreak() =>
        Assert.False(GoogleRpcFailure.From(new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "RST_STREAM"))).IsTransportBreak);

    [Fact]
    public void FixHint_Unauthenticated_IsTheSharedCredentialsHint() =>
        Assert.Equal(GoogleFixHints.Credentials, GoogleRpcFailure.From(new RpcException(new Grpc.Core.Status(StatusCode.Unauthenticated, "token expired"))).FixHint);

    [Fact]
    public void FixHint_ServiceDisabled_NamesTheServiceAndTheProject()
    {
        var info = new ErrorInfo { Reason = GoogleRpcFailure.ServiceDisabledReason, Domain = "googleapis.com" };
        info.Metadata.Add("service", "bigquerystorage.googleapis.com");
        info.Metadata.Add("consumer", "projects/acme-sales");

        var f = GoogleRpcFailure.From(Failure(StatusCode.PermissionDenied, "API has not been used in project acme-sales", info));

        Assert.Equal("enable the API with 'gcloud services enable bigquerystorage.googleapis.com --project acme-sales', wait a minute, and run again", f.FixHint);
    }

    [Fact]
    public void FixHint_PlainPermissionDenied_IsLeftToTheApisWording() =>
        Assert.Null(GoogleRpcFailure.From(Failure(StatusCode.PermissionDenied, "denied", new ErrorInfo { Reason = "IAM_PERMISSION_DENIED" })).FixHint);

    [Fact]
    public void Detail_AnyAttachedMessage_IsUnpacked()
    {
        var f = GoogleRpcFailure.From(Failure(StatusCode.InvalidArgument, "bad", new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "read_session.table" } } }));

        Assert.Equal("read_session.table", Assert.Single(f.Detail<BadRequest>()!.FieldViolations).Field);
        Assert.Null(f.Detail<RetryInfo>());
    }
}

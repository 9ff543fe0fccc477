using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace SalesIntel.Stages.GoogleApis;

/// <summary>
/// Reads the structured error details Google APIs attach to a failed call: the <c>grpc-status-details-bin</c>
/// trailer (a serialized <c>google.rpc.Status</c>) and the bare <c>google.rpc.retryinfo-bin</c> trailer some
/// services send instead.
/// </summary>
public static class RpcErrorDetails
{
    private const string StatusDetailsTrailer = "grpc-status-details-bin";
    private const string RetryInfoTrailer = "google.rpc.retryinfo-bin";

    /// <summary>The server's requested retry delay (RetryInfo), or null when it sent none.</summary>
    public static TimeSpan? RetryDelay(RpcException exception)
    {
        var bare = exception.Trailers.GetValueBytes(RetryInfoTrailer);
        if (bare is not null && TryParse(RetryInfo.Parser, bare) is { RetryDelay: not null } direct)
        {
            return direct.RetryDelay.ToTimeSpan();
        }

        return Detail<RetryInfo>(exception)?.RetryDelay?.ToTimeSpan();
    }

    /// <summary>The first detail of type <typeparamref name="T"/> in the status trailer, or null.</summary>
    public static T? Detail<T>(RpcException exception)
        where T : class, IMessage<T>, new()
    {
        var bytes = exception.Trailers.GetValueBytes(StatusDetailsTrailer);
        if (bytes is null || TryParse(Google.Rpc.Status.Parser, bytes) is not { } status)
        {
            return null;
        }

        var descriptor = new T().Descriptor;
        foreach (var any in status.Details)
        {
            if (any.Is(descriptor))
            {
                return any.Unpack<T>();
            }
        }

        return null;
    }

    /// <summary>Builds the trailers a Google server sends for a status with details (used by the test fakes).</summary>
    public static Metadata Trailers(StatusCode code, string message, params IMessage[] details)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        foreach (var d in details)
        {
            status.Details.Add(Google.Protobuf.WellKnownTypes.Any.Pack(d));
        }

        return new Metadata { { StatusDetailsTrailer, status.ToByteArray() } };
    }

    private static T? TryParse<T>(MessageParser<T> parser, byte[] bytes)
        where T : class, IMessage<T>
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}

using Grpc.Core;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>A fault the fake injects once into a ReadRows stream when it reaches a row offset.</summary>
/// <param name="StreamIndex">The stream (index in its session), or null for whichever stream reaches the offset first.</param>
/// <param name="AtOffset">The stream row offset at which the stream breaks (responses are cut to end exactly there).</param>
/// <param name="Code">The status the call ends with.</param>
/// <param name="Detail">The status text, e.g. <c>Received RST_STREAM with error code 2</c>.</param>
/// <param name="AbortConnection">Reset the HTTP/2 stream instead of ending the call with a status (a dropped connection).</param>
/// <param name="RetryDelay">A RetryInfo delay to attach to the status.</param>
internal sealed record FakeStreamBreak(int? StreamIndex, long AtOffset, StatusCode Code = StatusCode.Unavailable, string Detail = "Connection reset by peer", bool AbortConnection = false, TimeSpan? RetryDelay = null);

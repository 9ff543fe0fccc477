using Grpc.Core;

namespace SalesIntel.Stages.Sources.BigQuery.Internal;

/// <summary>The <c>x-goog-request-params</c> routing header the Storage API needs to route a call to the table's region.</summary>
internal static class RoutingHeader
{
    /// <summary>The metadata key.</summary>
    public const string Key = "x-goog-request-params";

    /// <summary>Metadata with <c>field=value</c>; the value is sent raw (slashes unescaped), the form the Java and Python clients send.</summary>
    public static Metadata For(string field, string value) => new() { { Key, $"{field}={value}" } };
}

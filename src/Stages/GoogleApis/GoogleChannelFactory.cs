using Google.Apis.Auth.OAuth2;
using Grpc.Core;
using Grpc.Net.Client;
using SalesIntel.Stages.Errors;

namespace SalesIntel.Stages.GoogleApis;

/// <summary>
/// Opens gRPC channels to Google APIs. With an emulator variable set (<c>host:port</c>) the channel is plaintext
/// HTTP/2 without credentials, for the in-process fakes and local development; otherwise it is TLS to the real
/// endpoint with Application Default Credentials, and a missing credential is a one-line configuration error.
/// </summary>
public static class GoogleChannelFactory
{
    /// <summary>The OAuth scope every API we call accepts.</summary>
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    /// <summary>Creates a channel.</summary>
    /// <param name="endpoint">The real endpoint, <c>host:443</c>.</param>
    /// <param name="emulatorVariable">The environment variable that overrides it (named in error messages).</param>
    /// <param name="emulatorHost">That variable's value, or null/empty for the real endpoint.</param>
    /// <param name="scopes">OAuth scopes for the real endpoint.</param>
    /// <param name="maxReceiveMessageBytes">The largest response accepted (ReadRows responses reach 128 MB).</param>
    public static GrpcChannel Create(string endpoint, string emulatorVariable, string? emulatorHost, IReadOnlyList<string> scopes, int maxReceiveMessageBytes = 256 * 1024 * 1024)
    {
        if (!string.IsNullOrWhiteSpace(emulatorHost))
        {
            if (!Uri.TryCreate("http://" + emulatorHost.Trim(), UriKind.Absolute, out var emulator) || emulator.Port <= 0 || emulator.AbsolutePath != "/")
            {
                throw new ConfigurationException($"{emulatorVariable}='{emulatorHost}' is not host:port. Set it like {emulatorVariable}=127.0.0.1:9010, or unset it to use {endpoint}.");
            }

            return GrpcChannel.ForAddress(emulator, new GrpcChannelOptions
            {
                Credentials = ChannelCredentials.Insecure,
                MaxReceiveMessageSize = maxReceiveMessageBytes,
            });
        }

        var credential = LoadCredential(scopes, endpoint);
        var callCredentials = CallCredentials.FromInterceptor(async (context, metadata) =>
        {
            var token = await ((ITokenAccess)credential).GetAccessTokenForRequestAsync(context.ServiceUrl, context.CancellationToken).ConfigureAwait(false);
            metadata.Add("authorization", "Bearer " + token);
        });
        return GrpcChannel.ForAddress("https://" + endpoint, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(ChannelCredentials.SecureSsl, callCredentials),
            MaxReceiveMessageSize = maxReceiveMessageBytes,
        });
    }

    private static GoogleCredential LoadCredential(IReadOnlyList<string> scopes, string endpoint)
    {
        try
        {
            return GoogleCredential.GetApplicationDefault().CreateScoped(scopes);
        }
        // GetApplicationDefault() blocks on an async lookup, so the "not found" InvalidOperationException arrives
        // wrapped in an AggregateException.
        catch (Exception e) when (e is InvalidOperationException or AggregateException { InnerException: InvalidOperationException })
        {
            throw new ConfigurationException(
                $"no Google credentials found to call {endpoint}: {GoogleFixHints.Credentials}.", e);
        }
    }
}

using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>Hosts a <see cref="FakeBigQueryRead"/> on 127.0.0.1 (dynamic port, HTTP/2 cleartext) with Kestrel.</summary>
internal sealed class FakeBigQueryReadServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeBigQueryReadServer(WebApplication app, FakeBigQueryRead service, string host)
    {
        _app = app;
        Service = service;
        Host = host;
    }

    /// <summary>The fake service: tables, faults, recorded requests.</summary>
    public FakeBigQueryRead Service { get; }

    /// <summary><c>127.0.0.1:port</c>, the value for BIGQUERY_STORAGE_EMULATOR_HOST.</summary>
    public string Host { get; }

    /// <summary>Starts a server around <paramref name="service"/> (a new one when null).</summary>
    public static async Task<FakeBigQueryReadServer> StartAsync(FakeBigQueryRead? service = null)
    {
        service ??= new FakeBigQueryRead();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = true;
        });
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<FakeBigQueryRead>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeBigQueryReadServer(app, service, new Uri(address).Authority);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

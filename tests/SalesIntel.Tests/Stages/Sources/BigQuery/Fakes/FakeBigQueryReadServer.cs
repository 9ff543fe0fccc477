using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SalesIntel.Stages.Protos.BigQueryStorage;

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>
/// Hosts a <see cref="FakeBigQueryRead"/> on 127.0.0.1 (dynamic port, HTTP/2 cleartext) with Kestrel. Calls go to the
/// current <see cref="Service"/>, so one server can serve a whole test class, each test with a fresh fake
/// (<see cref="Reset"/>) instead of paying for a Kestrel start per test.
/// </summary>
internal sealed class FakeBigQueryReadServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Router _router;

    private FakeBigQueryReadServer(WebApplication app, Router router, string host)
    {
        _app = app;
        _router = router;
        Host = host;
    }

    /// <summary>The fake service answering calls now: tables, faults, recorded requests.</summary>
    public FakeBigQueryRead Service => _router.Current;

    /// <summary>Replaces the fake with a new, empty one and returns it.</summary>
    public FakeBigQueryRead Reset() => _router.Current = new FakeBigQueryRead();

    /// <summary><c>127.0.0.1:port</c>, the value for BIGQUERY_STORAGE_EMULATOR_HOST.</summary>
    public string Host { get; }

    /// <summary>Starts a server around <paramref name="service"/> (a new one when null).</summary>
    public static async Task<FakeBigQueryReadServer> StartAsync(FakeBigQueryRead? service = null)
    {
        var router = new Router { Current = service ?? new FakeBigQueryRead() };
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = true;
        });
        builder.Services.AddSingleton(router);
        var app = builder.Build();
        app.MapGrpcService<Router>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeBigQueryReadServer(app, router, new Uri(address).Authority);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The service registered with gRPC: forwards every call to the current fake.</summary>
    private sealed class Router : BigQueryRead.BigQueryReadBase
    {
        private volatile FakeBigQueryRead _current = null!;

        public FakeBigQueryRead Current
        {
            get => _current;
            set => _current = value;
        }

        public override Task<ReadSession> CreateReadSession(CreateReadSessionRequest request, ServerCallContext context) =>
            _current.CreateReadSession(request, context);

        public override Task ReadRows(ReadRowsRequest request, IServerStreamWriter<ReadRowsResponse> responseStream, ServerCallContext context) =>
            _current.ReadRows(request, responseStream, context);

        public override Task<SplitReadStreamResponse> SplitReadStream(SplitReadStreamRequest request, ServerCallContext context) =>
            _current.SplitReadStream(request, context);
    }
}

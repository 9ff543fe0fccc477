using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SalesIntel.Stages.Model;
using SalesIntel.Stages.Protos.BigQueryStorage;
using TableSchema = SalesIntel.Stages.Protos.BigQueryStorage.TableSchema;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery.Fakes;

/// <summary>Hosts a <see cref="FakeBigQueryWrite"/> on 127.0.0.1 (dynamic port, HTTP/2 cleartext).</summary>
public sealed class FakeBigQueryWriteServer : IAsyncDisposable
{
    public const string Project = "fake-project";
    public const string Dataset = "sales";
    public const string TableId = "account_recommendations";

    private readonly WebApplication _app;

    private FakeBigQueryWriteServer(WebApplication app, FakeBigQueryWrite service, string address)
    {
        _app = app;
        Service = service;
        Address = address;
    }

    /// <summary>The service, for setup, faults and assertions.</summary>
    public FakeBigQueryWrite Service { get; }

    /// <summary><c>127.0.0.1:port</c>, the value for BIGQUERY_STORAGE_EMULATOR_HOST.</summary>
    public string Address { get; }

    /// <summary>The sink URI of the default table.</summary>
    public static string TableUri => $"bq://{Project}.{Dataset}.{TableId}";

    /// <summary>The resource name of the default table.</summary>
    public static string TableName => $"projects/{Project}/datasets/{Dataset}/tables/{TableId}";

    /// <summary>Starts a server whose default table has the account_recommendations schema (or <paramref name="schema"/>), with the dead-letter and run-ledger tables beside it.</summary>
    /// <param name="service">The service; a new one when null.</param>
    /// <param name="schema">The default table's schema; account_recommendations' when null.</param>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="addServices">Registers more gRPC services on the same host (e.g. a fake BigQueryRead).</param>
    /// <param name="mapServices">Maps them.</param>
    public static async Task<FakeBigQueryWriteServer> StartAsync(FakeBigQueryWrite? service = null, TableSchema? schema = null, int port = 0,
        Action<IServiceCollection>? addServices = null, Action<WebApplication>? mapServices = null)
    {
        service ??= new FakeBigQueryWrite();
        service.AddTable(TableName, schema ?? RecommendationsSchema());
        service.AddTable(DeadLettersTableName, DeadLettersSchema());
        service.AddTable(ScoringRunsTableName, AsReturned(ScoringRunsTable.Schema));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = 64 * 1024 * 1024;
            o.EnableDetailedErrors = true;
        });
        builder.Services.AddSingleton(service);
        addServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapGrpcService<FakeBigQueryWrite>();
        mapServices?.Invoke(app);
        await app.StartAsync().ConfigureAwait(false);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FakeBigQueryWriteServer(app, service, new Uri(url).Authority);
    }

    /// <summary>The account_recommendations schema as BigQuery returns it.</summary>
    public static TableSchema RecommendationsSchema() => AsReturned(RecommendationsTable.Schema);

    /// <summary>The account_recommendation_dead_letters schema as BigQuery returns it.</summary>
    public static TableSchema DeadLettersSchema() => AsReturned(DeadLettersTable.Schema);

    /// <summary>The resource name of the dead-letter table beside the default table, as the deploy kit creates it.</summary>
    public static string DeadLettersTableName => $"projects/{Project}/datasets/{Dataset}/tables/{DeadLettersTable.DefaultTableId}";

    /// <summary>The resource name of the run-ledger table beside the default table, as the deploy kit creates it.</summary>
    public static string ScoringRunsTableName => $"projects/{Project}/datasets/{Dataset}/tables/{ScoringRunsTable.DefaultTableId}";

    private static TableSchema AsReturned(SalesIntel.Stages.Model.TableSchema table)
    {
        var schema = new TableSchema();
        foreach (var f in table.Fields)
        {
            schema.Fields.Add(new TableFieldSchema
            {
                Name = f.Name,
                Type = f.Type switch
                {
                    BqType.String => TableFieldSchema.Types.Type.String,
                    BqType.Int64 => TableFieldSchema.Types.Type.Int64,
                    BqType.Float64 => TableFieldSchema.Types.Type.Double,
                    BqType.Date => TableFieldSchema.Types.Type.Date,
                    BqType.Timestamp => TableFieldSchema.Types.Type.Timestamp,
                    BqType.Json => TableFieldSchema.Types.Type.Json,
                    _ => throw new NotSupportedException(f.Type.ToString()),
                },
                Mode = f.Repeated ? TableFieldSchema.Types.Mode.Repeated : f.Required ? TableFieldSchema.Types.Mode.Required : TableFieldSchema.Types.Mode.Nullable,
            });
        }

        return schema;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

namespace SalesIntel.Tests.Stages.Sources.BigQuery.Fakes;

/// <summary>A class fixture: one fake BigQueryRead server for every test of a class (tests of a class run one at a time).</summary>
public sealed class SharedFakeBigQueryReadServer : IAsyncLifetime
{
    private FakeBigQueryReadServer? _server;

    internal FakeBigQueryReadServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await FakeBigQueryReadServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

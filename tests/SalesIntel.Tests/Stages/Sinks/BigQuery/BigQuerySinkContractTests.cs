using SalesIntel.Stages.Sinks;

namespace SalesIntel.Tests.Stages.Sinks.BigQuery;

/// <summary>BigQuerySink under the sink contract, over the fake BigQueryWrite: PENDING streams committed per chunk.</summary>
public sealed class BigQuerySinkContractTests : RecommendationSinkSeamContractTests
{
    private SinkHarness _harness = null!;

    protected override bool ChunkedCommits => true;

    protected override int ChunkRows => 100;

    public override async Task InitializeAsync() => _harness = await SinkHarness.StartAsync();

    public override async Task DisposeAsync() => await _harness.DisposeAsync();

    protected override IRecommendationSink Create() => _harness.Sink(_harness.Options(commitRows: ChunkRows));

    protected override IReadOnlyList<string> Published() => _harness.Committed.Select(r => r.AccountId).ToList();
}

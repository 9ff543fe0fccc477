using SalesIntel.Stages.Sinks;
using SalesIntel.Tests.Stages.Sinks;

namespace SalesIntel.Tests.Support;

/// <summary>The test fake sink under the sink contract: it commits everything at CompleteAsync, nothing before.</summary>
public sealed class FakeSinkContractTests : RecommendationSinkSeamContractTests
{
    private FakeSink? _sink;

    protected override IRecommendationSink Create() => _sink = new FakeSink();

    protected override IReadOnlyList<string> Published() => _sink?.Committed.Select(r => r.AccountId).ToList() ?? [];
}

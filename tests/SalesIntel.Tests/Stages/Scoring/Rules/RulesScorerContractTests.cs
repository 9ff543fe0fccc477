using Microsoft.Extensions.Time.Testing;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Scoring.Rules;

namespace SalesIntel.Tests.Stages.Scoring.Rules;

/// <summary>The rules scorer under the scorer contract: CPU-bound, so nothing to cancel mid-call, and it scores anything.</summary>
public sealed class RulesScorerContractTests : ScorerContractTests
{
    protected override ValueTask<IScorer> CreateAsync() =>
        ValueTask.FromResult<IScorer>(new RulesScorer("run-1", new FakeTimeProvider(new DateTimeOffset(2024, 5, 2, 6, 0, 0, TimeSpan.Zero))));
}

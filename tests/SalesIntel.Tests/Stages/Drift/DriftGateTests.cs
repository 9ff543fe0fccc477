using SalesIntel.Stages.Drift;
using SalesIntel.Stages.Model;
using SalesIntel.Tests.Support;

namespace SalesIntel.Tests.Stages.Drift;

public sealed class DriftGateTests
{
    private static Recommendation Row(int i, int score, string prompt = "rules-v1", DateOnly? carried = null) =>
        TestRecommendations.Make($"acc-{i}", score) with { Tier = Tiers.ForScore(score), Scorer = "rules", Model = null, PromptVersion = prompt, CarriedFrom = carried };

    private static DriftGate Gate(int sample = 4, DriftAction? action = null, int held = 20_000) =>
        new(new DriftGateOptions { SampleSize = sample, Action = action, MaxHeldRows = held }, _ => null, previousAccounts: 100);

    [Fact]
    public void Add_SameTiersAndScores_PassesWhenTheSampleIsFull()
    {
        var gate = Gate();
        DriftVerdict? verdict = null;
        for (var i = 0; i < 4; i++)
        {
            verdict = gate.Add(Row(i, 70), Row(i, 72));
        }

        Assert.Equal(DriftStatus.Passed, verdict!.Status);
        Assert.Equal((4, 0, 2.0), (verdict.Sample!.Size, verdict.Sample.TierChanges, verdict.Sample.MeanScoreShift));
        Assert.Equal(0, verdict.Sample.Psi, 9);
        Assert.Equal(DriftAction.Warn, verdict.Action);
        Assert.False(verdict.Blocks);
        Assert.Equal("sample full", verdict.DecidedWhen);
    }

    [Fact]
    public void Add_TierChangesOverTheShare_Trips()
    {
        var gate = new DriftGate(new DriftGateOptions { SampleSize = 4, MaxPsi = 100, MaxScoreShift = 100, MaxTierChangeShare = 0.25 }, _ => null, 1);
        gate.Add(Row(0, 79), Row(0, 80));
        gate.Add(Row(1, 80), Row(1, 79));
        gate.Add(Row(2, 50), Row(2, 50));
        var verdict = gate.Add(Row(3, 50), Row(3, 50))!;

        Assert.Equal(DriftStatus.Tripped, verdict.Status);
        Assert.Equal(0.5, verdict.Sample!.TierChangeShare);
        Assert.Contains("tier changes 50.0% > 25.0%", verdict.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("PSI", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_ScoresShiftedWithinTheirTiers_TripsOnlyTheScoreShift()
    {
        var gate = new DriftGate(new DriftGateOptions { SampleSize = 2, MaxScoreShift = 10 }, _ => null, 1);
        gate.Add(Row(0, 0), Row(0, 15));
        var verdict = gate.Add(Row(1, 60), Row(1, 75))!;

        Assert.Equal(DriftStatus.Tripped, verdict.Status);
        Assert.Equal(15, verdict.Sample!.MeanScoreShift);
        Assert.Equal("mean score shift +15.0 > ±10 points", verdict.Reason);
    }

    [Fact]
    public void Psi_MatchesAHandComputation()
    {
        // Before: A 50%, B 50%; now: A 25%, B 75%. (0.25-0.5)ln(0.25/0.5) + (0.75-0.5)ln(0.75/0.5), shares + 0.0001.
        var before = new Dictionary<string, int> { ["A"] = 2, ["B"] = 2 };
        var now = new Dictionary<string, int> { ["A"] = 1, ["B"] = 3 };
        var expected = ((0.2501 - 0.5001) * Math.Log(0.2501 / 0.5001)) + ((0.7501 - 0.5001) * Math.Log(0.7501 / 0.5001));

        Assert.Equal(expected, DriftSample.PopulationStabilityIndex(before, now), 12);
        Assert.Equal(0.2746, DriftSample.PopulationStabilityIndex(before, now), 3);
    }

    [Fact]
    public void Psi_AnEmptyTierOnOneSide_IsLargeButFinite()
    {
        var psi = DriftSample.PopulationStabilityIndex(new Dictionary<string, int> { ["A"] = 4, ["D"] = 0 }, new Dictionary<string, int> { ["A"] = 0, ["D"] = 4 });

        Assert.True(double.IsFinite(psi) && psi > 15, $"psi {psi}");
    }

    [Fact]
    public void Verdict_PromptChangedForMostOfTheSample_DefaultsToFail()
    {
        var gate = Gate(sample: 2);
        gate.Add(Row(0, 90, prompt: "rules-v0"), Row(0, 10));
        var verdict = gate.Add(Row(1, 90, prompt: "rules-v0"), Row(1, 10))!;

        Assert.Equal((DriftStatus.Tripped, DriftAction.Fail, true), (verdict.Status, verdict.Action, verdict.Blocks));
        Assert.Equal(("rules|rules-v0", "rules|rules-v1"), (verdict.Sample!.PreviousFingerprint, verdict.Sample.CurrentFingerprint));
        var e = new DriftTrippedException(verdict);
        Assert.Contains("--on-drift warn", e.Message, StringComparison.Ordinal);
        Assert.Contains("PSI", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdict_SameScorerExplicitWarn_TripsWithoutBlocking()
    {
        var gate = Gate(sample: 1, action: DriftAction.Warn);
        var verdict = gate.Add(Row(0, 90), Row(0, 10))!;

        Assert.Equal((DriftStatus.Tripped, false), (verdict.Status, verdict.Blocks));
    }

    [Fact]
    public void Constructor_NoPreviousRecommendations_DecidesAtOnceWithoutBlocking()
    {
        var gate = new DriftGate(new DriftGateOptions(), previousOf: null, previousAccounts: 0);

        Assert.True(gate.IsDecided);
        Assert.Equal(DriftStatus.NoPrevious, gate.Verdict!.Status);
        Assert.StartsWith("no previous run to compare", gate.Verdict.Reason, StringComparison.Ordinal);
        Assert.False(gate.Verdict.Blocks);
    }

    [Fact]
    public void Offer_CarriedRowsAndAccountsWithoutPrevious_AreNotSampled()
    {
        var previous = Row(1, 50);
        var gate = new DriftGate(new DriftGateOptions { SampleSize = 5 }, r => r.AccountId == "acc-1" ? previous : null, 1);

        gate.Offer(Row(1, 50, carried: new DateOnly(2026, 11, 20)));
        gate.Offer(Row(2, 50));
        gate.Offer(Row(1, 55));

        Assert.Equal(1, gate.SampleCount);
        var verdict = gate.DecideAtEnd();
        Assert.Equal(("the input ended before the sample was full", 1), (verdict.DecidedWhen, verdict.Sample!.Size));
    }

    [Fact]
    public void DecideAtCap_BeforeTheSampleFills_DecidesOnWhatIsThereAndSaysSo()
    {
        var gate = Gate(sample: 10);
        gate.Add(Row(0, 50), Row(0, 50));

        var verdict = gate.DecideAtCap(20_000);

        Assert.Equal(DriftStatus.Passed, verdict.Status);
        Assert.Contains("cap of 20,000 rows", verdict.DecidedWhen, StringComparison.Ordinal);
        Assert.Same(verdict, gate.DecideAtEnd());
    }

    [Fact]
    public void DecideAtEnd_NoFreshAccountHadAPrevious_SaysNothingToCompare()
    {
        var verdict = Gate().DecideAtEnd();

        Assert.Equal(DriftStatus.NoPrevious, verdict.Status);
        Assert.StartsWith("nothing to compare", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadValues_AreAllNamedInOneMessage()
    {
        var options = new DriftGateOptions { SampleSize = -1, MaxTierChangeShare = 2, MaxPsi = -1, MaxScoreShift = 101 };

        var e = Assert.Throws<SalesIntel.Stages.Errors.ConfigurationException>(options.Validate);

        foreach (var name in new[] { "--drift-sample -1", "--drift-max-tier-changes 2", "--drift-max-psi -1", "--drift-max-score-shift 101" })
        {
            Assert.Contains(name, e.Message, StringComparison.Ordinal);
        }
    }
}

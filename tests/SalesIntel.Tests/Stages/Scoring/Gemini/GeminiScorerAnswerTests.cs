using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Stages.Scoring.Rules;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>Unusable answers: one adjusted retry, then a dead letter with the reason and the raw answer (or the opt-in rules fallback).</summary>
public sealed class GeminiScorerAnswerTests
{
    [Theory]
    [InlineData(FakeFault.MalformedJson, "invalid_answer")]
    [InlineData(FakeFault.WrongTier, "invalid_answer")]
    [InlineData(FakeFault.EmptyCandidates, "empty_answer")]
    [InlineData(FakeFault.OnlyThoughts, "empty_answer")]
    [InlineData(FakeFault.MaxTokens, "truncated_answer")]
    [InlineData(FakeFault.Safety, "blocked_answer")]
    [InlineData(FakeFault.Recitation, "blocked_answer")]
    [InlineData(FakeFault.PromptBlocked, "blocked_answer")]
    public async Task ScoreAsync_UnusableAnswerTwice_DeadLettersWithReasonAfterExactlyOneRetry(FakeFault fault, string reason)
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => fault;
        await using var scorer = GeminiTestScorer.Create(fake);
        var record = TestAccounts.Record("acc-1", line: 17);

        var outcome = await scorer.ScoreAsync(record, CancellationToken.None);

        Assert.Null(outcome.Recommendation);
        var failure = Assert.IsType<DeadLetter>(outcome.Failure);
        Assert.Equal(("score", reason, "acc-1"), (failure.Stage, failure.Reason, failure.AccountId));
        Assert.Equal(record.Position, failure.Position);
        Assert.Contains("after one adjusted retry", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.GenerateCalls);
        Assert.Equal((2, 0, 1, 1), (scorer.Usage.Calls, scorer.Usage.Retries, scorer.Usage.AnswerRetries, scorer.Usage.Failed));
    }

    [Fact]
    public async Task ScoreAsync_MalformedJsonTwice_DeadLetterKeepsTheRawAnswerWithoutThoughts()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.MalformedJson;
        await using var scorer = GeminiTestScorer.Create(fake);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.StartsWith("Sure! Here is the score: {", outcome.Failure!.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Thinking about", outcome.Failure.Raw, StringComparison.Ordinal);
        Assert.Contains("not JSON", outcome.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_MalformedJsonOnce_RetriesWithNoteNewSeedAndSomeTemperature_ThenScores()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt == 1 ? FakeFault.MalformedJson : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake, o => o.Seed = 5);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1", intentScore: 64), CancellationToken.None);

        Assert.Equal((64, "B"), (outcome.Recommendation!.Score, outcome.Recommendation.Tier));
        var calls = fake.GenerateRequests.ToArray();
        Assert.Equal(2, calls.Length);
        var (first, second) = (calls[0].Request, calls[1].Request);
        Assert.Equal((0f, 5), (first.GenerationConfig.Temperature, first.GenerationConfig.Seed));
        Assert.Equal((0.3f, 6), (second.GenerationConfig.Temperature, second.GenerationConfig.Seed));
        Assert.Equal(first.Contents[0].Parts[0].Text, second.Contents[0].Parts[0].Text); // same data block
        var note = second.Contents[0].Parts[1].Text;
        Assert.StartsWith("Your previous answer could not be used: the answer is not JSON", note, StringComparison.Ordinal);
        Assert.Null(FakeVertexAi.DataBlock(note));
        // Tokens and latency of both calls are charged to the row.
        Assert.Equal(scorer.Usage.InputTokens, outcome.Recommendation.InputTokens);
        Assert.Equal((2, 1), (scorer.Usage.SuccessfulCalls, scorer.Usage.AnswerRetries));
    }

    [Fact]
    public async Task ScoreAsync_MaxTokensOnce_RetriesWithDoubleAnswerBudgetAndThinkingOff()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt == 1 ? FakeFault.MaxTokens : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake, o => o.ThinkingBudget = 512);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.NotNull(outcome.Recommendation);
        var calls = fake.GenerateRequests.ToArray();
        Assert.Equal((1024 + 512, 512), (calls[0].Request.GenerationConfig.MaxOutputTokens, calls[0].Request.GenerationConfig.ThinkingConfig.ThinkingBudget));
        Assert.Equal((2048, 0), (calls[1].Request.GenerationConfig.MaxOutputTokens, calls[1].Request.GenerationConfig.ThinkingConfig.ThinkingBudget));
        Assert.Contains("MAX_TOKENS", calls[1].Request.Contents[0].Parts[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_SafetyOnce_RetriesWithOnlyHighBlockingAndOwnWordsNote()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt == 1 ? FakeFault.Safety : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.NotNull(outcome.Recommendation);
        var calls = fake.GenerateRequests.ToArray();
        Assert.Empty(calls[0].Request.SafetySettings);
        Assert.Equal(4, calls[1].Request.SafetySettings.Count);
        Assert.All(calls[1].Request.SafetySettings, s => Assert.Equal(SalesIntel.Stages.Protos.VertexAi.SafetySetting.Types.HarmBlockThreshold.BlockOnlyHigh, s.Threshold));
        Assert.Contains("own words", calls[1].Request.Contents[0].Parts[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_FallbackRules_UnusableAnswerIsScoredByRulesAndMarkedRulesFallback()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.Safety;
        var rules = new RulesScorer("run-1", TimeProvider.System, GeminiScorer.FallbackScorerName);
        await using var scorer = GeminiTestScorer.Create(fake, o => o.Fallback = GeminiFallback.Rules, fallback: rules);
        var record = TestAccounts.Record("acc-1");

        var outcome = await scorer.ScoreAsync(record, CancellationToken.None);

        var rec = Assert.IsType<Recommendation>(outcome.Recommendation);
        Assert.Null(outcome.Failure);
        Assert.Equal(("rules-fallback", RulesScorer.Version), (rec.Scorer, rec.PromptVersion));
        Assert.Equal(rules.Score(record).Score, rec.Score);
        Assert.Equal((1, 0, 0), (scorer.Usage.FallbackScored, scorer.Usage.Failed, scorer.Usage.Scored));
    }

    [Fact]
    public async Task ScoreAsync_NoFallbackConfigured_RulesScorerIsNotUsedSilently()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.Safety;
        await using var scorer = GeminiTestScorer.Create(fake, fallback: new RulesScorer("run-1", TimeProvider.System));

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.Equal("blocked_answer", outcome.Failure!.Reason);
    }

    [Fact]
    public void Constructor_FallbackRulesWithoutRulesScorer_IsAConfigurationError()
    {
        var options = new GeminiScorerOptions { Project = "p", EmulatorHost = "127.0.0.1:1", Fallback = GeminiFallback.Rules };

        var e = Assert.Throws<SalesIntel.Stages.Errors.ConfigurationException>(() => new GeminiScorer(options));
        Assert.Contains("--fallback rules", e.Message, StringComparison.Ordinal);
    }
}

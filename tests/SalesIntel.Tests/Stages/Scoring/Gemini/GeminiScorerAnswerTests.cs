using SalesIntel.Stages.Model;
using SalesIntel.Stages.Scoring.Gemini;
using SalesIntel.Stages.Scoring.Rules;
using ThinkingLevel = SalesIntel.Stages.Protos.VertexAi.GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel;

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
        var legacy = GeminiTestScorer.Legacy(fake, "gemini-2.5-flash"); // Gemini 2.x: temperature 0 from the catalog
        await using var scorer = GeminiTestScorer.Create(fake, o =>
        {
            legacy(o);
            o.Seed = 5;
        });

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
        var legacy = GeminiTestScorer.Legacy(fake, "gemini-2.5-flash"); // Gemini 2.x: a thinking budget
        await using var scorer = GeminiTestScorer.Create(fake, o =>
        {
            legacy(o);
            o.ThinkingBudget = 512;
        });

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.NotNull(outcome.Recommendation);
        var calls = fake.GenerateRequests.ToArray();
        Assert.Equal((1024 + 512, 512), (calls[0].Request.GenerationConfig.MaxOutputTokens, calls[0].Request.GenerationConfig.ThinkingConfig.ThinkingBudget));
        Assert.Equal((2048, 0), (calls[1].Request.GenerationConfig.MaxOutputTokens, calls[1].Request.GenerationConfig.ThinkingConfig.ThinkingBudget));
        Assert.Contains("MAX_TOKENS", calls[1].Request.Contents[0].Parts[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_MalformedJsonOnce_Gemini3_RetriesAtTheCatalogTemperatureWithANewSeed()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt == 1 ? FakeFault.MalformedJson : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake, o => o.Seed = 5);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1", intentScore: 64), CancellationToken.None);

        Assert.NotNull(outcome.Recommendation);
        var calls = fake.GenerateRequests.ToArray();
        Assert.Equal((1f, 5), (calls[0].Request.GenerationConfig.Temperature, calls[0].Request.GenerationConfig.Seed));
        Assert.Equal((1f, 6), (calls[1].Request.GenerationConfig.Temperature, calls[1].Request.GenerationConfig.Seed)); // never below Google's 1.0 for Gemini 3
    }

    [Fact]
    public async Task ScoreAsync_MaxTokensOnce_Gemini3_RetriesWithMoreRoomAtTheCheapestLevelAndNoBudget()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt == 1 ? FakeFault.MaxTokens : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake, o =>
        {
            o.Model = "gemini-3.8-flash";
            o.ThinkingLevel = "MEDIUM";
        });

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.NotNull(outcome.Recommendation);
        var calls = fake.GenerateRequests.Select(c => c.Request.GenerationConfig).ToArray();
        Assert.Equal((1024 + 4096, ThinkingLevel.Medium), (calls[0].MaxOutputTokens, calls[0].ThinkingConfig.ThinkingLevel));
        Assert.Equal((1024 + 4096 + 1024, ThinkingLevel.Low), (calls[1].MaxOutputTokens, calls[1].ThinkingConfig.ThinkingLevel)); // 3.8 Flash has no MINIMAL
        Assert.All(calls, c => Assert.False(c.ThinkingConfig.HasThinkingBudget));
    }

    [Fact]
    public async Task ScoreAsync_SafetyOnce_RetriesWithOwnWordsNoteAndNoStricterThresholds()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = call => call.Attempt == 1 ? FakeFault.Safety : FakeFault.None;
        await using var scorer = GeminiTestScorer.Create(fake);

        var outcome = await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        Assert.NotNull(outcome.Recommendation);
        var calls = fake.GenerateRequests.ToArray();
        Assert.Empty(calls[0].Request.SafetySettings);
        // The default threshold of Gemini 2.5 and 3 is OFF: any threshold sent would filter more, so none is sent.
        Assert.Empty(calls[1].Request.SafetySettings);
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

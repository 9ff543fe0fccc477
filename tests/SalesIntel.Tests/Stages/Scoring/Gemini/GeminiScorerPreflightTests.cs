using SalesIntel.Stages.Errors;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>The preflight ends a doomed run before any data is read, in one line that names the fix.</summary>
public sealed class GeminiScorerPreflightTests
{
    [Fact]
    public async Task PreflightAsync_ModelNotFound_OneLineNamingModelProjectRegionAndFix()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.Models.Remove("gemini-3.5-flash"); // current in the catalog, but not served to this project
        await using var scorer = GeminiTestScorer.Create(fake, o => o.Model = "gemini-3.5-flash");

        var e = await Assert.ThrowsAsync<ScorerException>(() => scorer.PreflightAsync(CancellationToken.None).AsTask());

        Assert.False(e.IsTransient);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("Vertex AI model 'gemini-3.5-flash' was not found in project 'test-project', region 'europe-west4'", e.Message, StringComparison.Ordinal);
        Assert.Contains("set LLM_MODEL to an available model, e.g. gemini-3.1-flash-lite", e.Message, StringComparison.Ordinal);
        Assert.Equal(FakeVertexAi.CanaryAccountId, Assert.Single(fake.GenerateRequests).AccountId); // the canary only: NOT_FOUND is never retried
    }

    [Fact]
    public async Task PreflightAsync_PermissionDenied_NamesTheRoleAndTheIdentity()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.PermissionDenied;
        await using var scorer = GeminiTestScorer.Create(fake);

        var e = await Assert.ThrowsAsync<ScorerException>(() => scorer.PreflightAsync(CancellationToken.None).AsTask());

        Assert.Contains("Vertex AI User role (roles/aiplatform.user)", e.Message, StringComparison.Ordinal);
        Assert.Contains($"as the emulator at {fake.HostPort}", e.Message, StringComparison.Ordinal);
        Assert.Contains("project 'test-project'", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.GenerateCalls);
    }

    [Fact]
    public async Task PreflightAsync_ApiDisabled_NamesTheEnableCommand()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.ServiceDisabled;
        await using var scorer = GeminiTestScorer.Create(fake);

        var e = await Assert.ThrowsAsync<ScorerException>(() => scorer.PreflightAsync(CancellationToken.None).AsTask());

        Assert.Contains("`gcloud services enable aiplatform.googleapis.com --project test-project`", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreflightAsync_UnavailableEveryTime_RetriedThenFailsAsTransient()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.FaultFor = _ => FakeFault.Unavailable;
        await using var scorer = GeminiTestScorer.Create(fake, o => o.MaxRetries = 2);

        var e = await Assert.ThrowsAsync<ScorerException>(() => scorer.PreflightAsync(CancellationToken.None).AsTask());

        Assert.True(e.IsTransient);
        Assert.Contains("failed with Unavailable", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, fake.GenerateCalls);
    }

    [Fact]
    public async Task ScoreAsync_ModelRetiredMidRun_StopsTheRunWithThe404MessageWithoutRetrying()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake);
        await scorer.PreflightAsync(CancellationToken.None);
        await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);
        fake.Models.Remove("gemini-3.1-flash-lite");

        var e = await GeminiScorerResilienceTests.StoppedAsync(scorer, "acc-2");
        var later = await GeminiScorerResilienceTests.StoppedAsync(scorer, "acc-3");

        Assert.Contains("'gemini-3.1-flash-lite' was not found", e.Message, StringComparison.Ordinal);
        Assert.Equal(e.Message, later.Message);
        Assert.Equal(3, fake.GenerateCalls); // the canary, acc-1, acc-2 once; acc-3 never
    }

    [Fact]
    public async Task PreflightAsync_CancelledBefore_PassesCancellationThroughWithoutCalling()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => scorer.PreflightAsync(cts.Token).AsTask());

        Assert.Equal(0, fake.GenerateCalls);
    }

    [Fact]
    public async Task PreflightAsync_ConfigTheModelRefuses_InvalidArgumentNamesTheSettingsAndTheFix()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        fake.LevelModels["gemini-3.1-flash-lite"] = [SalesIntel.Stages.Protos.VertexAi.GenerationConfig.Types.ThinkingConfig.Types.ThinkingLevel.High]; // the model changed under the catalog
        await using var scorer = GeminiTestScorer.Create(fake);

        var e = await Assert.ThrowsAsync<ScorerException>(() => scorer.PreflightAsync(CancellationToken.None).AsTask());

        Assert.False(e.IsTransient);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("Vertex AI refused the run's request for model 'gemini-3.1-flash-lite' as INVALID_ARGUMENT (thinking_level MINIMAL, temperature 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("--thinking-level", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.GenerateCalls); // never retried
    }

    [Fact]
    public async Task CanaryAsync_SendsTheRunsExactRequestAndCountsItsTokensButNotAsACall()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        await using var scorer = GeminiTestScorer.Create(fake);

        var canary = await scorer.CanaryAsync(CancellationToken.None);
        await scorer.ScoreAsync(TestAccounts.Record("acc-1"), CancellationToken.None);

        var calls = fake.GenerateRequests.ToArray();
        Assert.Equal((FakeVertexAi.CanaryAccountId, "acc-1"), (calls[0].AccountId, calls[1].AccountId));
        Assert.Equal(calls[1].Request.GenerationConfig, calls[0].Request.GenerationConfig);
        Assert.Equal(calls[1].Request.SystemInstruction, calls[0].Request.SystemInstruction);
        Assert.Equal(calls[1].Request.Labels, calls[0].Request.Labels);
        Assert.Equal(calls[1].Headers["x-goog-request-params"], calls[0].Headers["x-goog-request-params"]);
        Assert.Equal("gemini-3.1-flash-lite", canary.ModelVersion);
        Assert.True(canary.Tokens > 0);
        Assert.True(canary.CostUsd > 0m);
        Assert.Empty(fake.CountTokensRequests);
        var metrics = scorer.GetMetrics();
        Assert.Equal(canary.Tokens, metrics["llm_canary_tokens"]);
        Assert.Equal(1L, metrics["llm_calls"]);
        Assert.True(scorer.Usage.InputTokens > calls[1].Request.SystemInstruction.Parts[0].Text.Length / 4); // both calls' tokens
    }
}

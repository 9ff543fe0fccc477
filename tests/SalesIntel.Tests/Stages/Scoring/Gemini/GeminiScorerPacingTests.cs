using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>--rpm and --tpm are limits for the whole Cloud Run execution: each task paces to its share.</summary>
public sealed class GeminiScorerPacingTests
{
    [Theory]
    [InlineData(600, 1_000_000, "4", 150, 250_000)]
    [InlineData(600, 1_000_000, null, 600, 1_000_000)]
    [InlineData(3, 0, "4", 1, 0)] // a share never drops to 0 requests; a --tpm of 0 stays off
    [InlineData(10, 7, "8", 1, 1)]
    public void TaskShares_DivideTheLimitsByCloudRunTaskCount(int rpm, int tpm, string? taskCount, int rpmShare, int tpmShare)
    {
        var options = GeminiScorerOptions.FromEnvironment(name => name == GeminiScorerOptions.TaskCountVariable ? taskCount : null);
        options.RequestsPerMinute = rpm;
        options.TokensPerMinute = tpm;

        Assert.Equal((rpmShare, tpmShare), (options.TaskRequestsPerMinute, options.TaskTokensPerMinute));
    }

    [Theory]
    [InlineData("four")]
    [InlineData("0")]
    [InlineData("-2")]
    public void Problems_BadCloudRunTaskCount_NamesTheValue(string taskCount)
    {
        var options = GeminiScorerOptions.FromEnvironment(name => name switch
        {
            GeminiScorerOptions.TaskCountVariable => taskCount,
            GeminiScorerOptions.ProjectVariable => "p",
            _ => null,
        });

        var problem = Assert.Single(options.Problems());

        Assert.Contains($"CLOUD_RUN_TASK_COUNT '{taskCount}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_FourTasks_PacesToAQuarterOfRpm()
    {
        await using var fake = await FakeVertexAi.StartAsync();
        var clock = GeminiTestScorer.FakeClock();
        // 240 per minute for the execution over 4 tasks = 60 per task: after the first call, one every ~1.01 s (1% headroom).
        await using var scorer = GeminiTestScorer.Create(fake, o => (o.RequestsPerMinute, o.TaskCount, o.Concurrency) = (240, 4, 1), clock);

        var first = scorer.ScoreAsync(TestAccounts.Record("acc-0001"), CancellationToken.None).AsTask();
        Assert.NotNull((await first).Recommendation);
        var second = scorer.ScoreAsync(TestAccounts.Record("acc-0002"), CancellationToken.None).AsTask();
        await Task.Delay(100);
        clock.Advance(TimeSpan.FromMilliseconds(500)); // a 240/min task could call again now; a 60/min share cannot
        await Task.Delay(100);
        Assert.False(second.IsCompleted);
        Assert.Equal(1, fake.GenerateCalls);

        clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.NotNull((await second.WaitAsync(TimeSpan.FromSeconds(10))).Recommendation);

        var metrics = scorer.GetMetrics();
        Assert.Equal((4, 60, 0), ((int)metrics["llm_task_count"]!, (int)metrics["llm_rpm_task_share"]!, (int)metrics["llm_tpm_task_share"]!));
    }
}

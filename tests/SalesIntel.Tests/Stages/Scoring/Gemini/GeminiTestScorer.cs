using Microsoft.Extensions.Time.Testing;
using SalesIntel.Stages.Scoring;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>Builds scorers pointed at a fake, with test-friendly defaults: fast limits and instant (zero-jitter) retries.</summary>
internal static class GeminiTestScorer
{
    public static GeminiScorerOptions Options(FakeVertexAi fake, Action<GeminiScorerOptions>? configure = null)
    {
        var options = new GeminiScorerOptions
        {
            Project = "test-project",
            Region = "europe-west4",
            EmulatorHost = fake.HostPort,
            RequestsPerMinute = 600_000,
            TokensPerMinute = 0,
            Concurrency = 8,
            RunId = "run-1",
            BaseBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(1),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A scorer whose jitter draws 0, so backoff never waits (the delays themselves are tested on a fake clock).</summary>
    public static GeminiScorer Create(FakeVertexAi fake, Action<GeminiScorerOptions>? configure = null, TimeProvider? time = null, IScorer? fallback = null) =>
        new(Options(fake, configure), fallback, time ?? TimeProvider.System, logger: null, random: () => 0);

    public static FakeTimeProvider FakeClock() => new(new DateTimeOffset(2024, 5, 1, 6, 0, 0, TimeSpan.Zero));
}

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
            TransientBaseBackoff = TimeSpan.FromMilliseconds(1),
            MaxBackoff = TimeSpan.FromMilliseconds(1),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A scorer whose jitter draws 0, so backoff never waits (the delays themselves are tested on a fake clock).</summary>
    public static GeminiScorer Create(FakeVertexAi fake, Action<GeminiScorerOptions>? configure = null, TimeProvider? time = null, IScorer? fallback = null) =>
        new(Options(fake, configure), fallback, time ?? TimeProvider.System, logger: null, random: () => 0);

    /// <summary>
    /// A user's --model-catalog as it looked before the 2.x retirements: the built-in catalog with every retirement
    /// removed, so the Gemini 2.x request rules (thinking budgets) can still be tested against a fake that serves them.
    /// </summary>
    public static string LegacyCatalog()
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, GeminiModelCatalog.DefaultRelativePath)))!;
        foreach (var (_, model) in root["models"]!.AsObject())
        {
            model!["retires"] = null;
            model["retired"] = false;
        }

        var path = Path.Combine(Path.GetTempPath(), $"salesintel-legacy-catalog-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    /// <summary>Points the options at <see cref="LegacyCatalog"/> and the fake at the legacy model.</summary>
    public static Action<GeminiScorerOptions> Legacy(FakeVertexAi fake, string model) => o =>
    {
        fake.Models.Add(model);
        o.Model = model;
        o.ModelCatalogFile = LegacyCatalog();
    };

    public static FakeTimeProvider FakeClock() => new(new DateTimeOffset(2024, 5, 1, 6, 0, 0, TimeSpan.Zero));
}

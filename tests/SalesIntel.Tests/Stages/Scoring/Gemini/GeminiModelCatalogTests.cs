using SalesIntel.Stages.Errors;
using SalesIntel.Stages.Scoring.Gemini;

namespace SalesIntel.Tests.Stages.Scoring.Gemini;

/// <summary>The shipped model catalog and its start-up rules: retired refused naming the replacement, near retirement warned, unknown warned.</summary>
public sealed class GeminiModelCatalogTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 12, 2);

    private readonly string _dir = Directory.CreateTempSubdirectory("salesintel-catalog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void BuiltIn_DefaultModelIsCatalogedAndCurrentToday()
    {
        var catalog = GeminiModelCatalog.Load();

        var info = catalog.Find(catalog.DefaultModel);

        Assert.NotNull(info);
        Assert.False(info.IsRetiredOn(Today));
        Assert.Empty(catalog.Check(catalog.DefaultModel, Today));
        Assert.NotNull(info.Price);
        Assert.Equal(ThinkingControl.Level, info.Thinking);
    }

    [Fact]
    public void BuiltIn_EveryRetiredModelNamesACataloguedCurrentReplacement()
    {
        var catalog = GeminiModelCatalog.Load();

        var retired = catalog.Models.Select(m => catalog.Find(m)!).Where(m => m.IsRetiredOn(Today)).ToList();

        Assert.Contains(retired, m => m.Id == "gemini-2.5-flash");
        Assert.All(retired, m => Assert.False(catalog.Find(m.Replacement!)!.IsRetiredOn(Today), $"{m.Id} -> {m.Replacement}"));
    }

    [Fact]
    public void BuiltIn_Gemini38FlashHasNoMinimalAndGemini3TemperatureIsOne()
    {
        var info = GeminiModelCatalog.Load().Find("gemini-3.8-flash")!;

        Assert.Equal(["LOW", "MEDIUM", "HIGH"], info.Levels);
        Assert.Equal(("MEDIUM", "LOW", 1f), (info.DefaultLevel, info.ScoringLevel, info.Temperature));
    }

    [Fact]
    public void Check_RetiredModel_ThrowsOneLineNamingTheDateAndReplacement()
    {
        var e = Assert.Throws<ConfigurationException>(() => GeminiModelCatalog.Load().Check("gemini-2.5-pro", Today));

        Assert.Equal("model 'gemini-2.5-pro' was retired on Vertex AI on 2026-10-16 and answers NOT_FOUND: set --model (or LLM_MODEL) to gemini-3.8-flash, Google's recommended replacement", e.Message);
    }

    [Fact]
    public void Check_LastDayBeforeRetirement_StillRunsButWarns()
    {
        var catalog = GeminiModelCatalog.Load();

        var lastDay = catalog.Check("gemini-2.5-flash", new DateOnly(2026, 10, 16));
        var monthBefore = catalog.Check("gemini-2.5-flash", new DateOnly(2026, 9, 16));
        var earlier = catalog.Check("gemini-2.5-flash", new DateOnly(2026, 9, 15));

        Assert.Contains("0 days left", Assert.Single(lastDay), StringComparison.Ordinal);
        Assert.Contains("30 days left", Assert.Single(monthBefore), StringComparison.Ordinal);
        Assert.Contains("move to gemini-3.5-flash-lite", monthBefore[0], StringComparison.Ordinal);
        Assert.Empty(earlier);
    }

    [Fact]
    public void Check_UnknownModel_WarnsAndNamesTheCatalogOption()
    {
        var warning = Assert.Single(GeminiModelCatalog.Load().Check("gemini-4-ultra", Today));

        Assert.Contains("model 'gemini-4-ultra' is not in the model catalog", warning, StringComparison.Ordinal);
        Assert.Contains("--model-catalog", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_VersionedId_FallsBackToTheLongestCataloguedPrefix()
    {
        var catalog = GeminiModelCatalog.Load();

        Assert.Equal("gemini-3.5-flash-lite", catalog.Find("gemini-3.5-flash-lite-001")!.Id);
        Assert.Equal("gemini-3.5-flash", catalog.Find("gemini-3.5-flash-002")!.Id);
    }

    [Theory]
    [InlineData("[1]", "must hold a JSON object with a \"models\" object")]
    [InlineData("""{"models": {"m": {}}}""", "needs \"default_model\"")]
    [InlineData("""{"default_model": "x", "models": {"m": {}}}""", "\"default_model\" 'x' is not one of its models")]
    [InlineData("""{"default_model": "m", "models": {"m": {"retires": "soon"}}}""", "model 'm': \"retires\" 'soon' must be a date")]
    [InlineData("""{"default_model": "m", "models": {"m": {"thinking": {"control": "level", "levels": ["LOWEST"]}}}}""", "model 'm': thinking.levels must list some of MINIMAL, LOW, MEDIUM, HIGH")]
    [InlineData("""{"default_model": "m", "models": {"m": {"prices": {"input": -1, "output": 1}}}}""", "model 'm': \"input\" must be a non-negative number")]
    [InlineData("{", "is not valid JSON")]
    public void Load_BadFile_OneLineNamingTheFileAndTheProblem(string json, string problem)
    {
        var path = Path.Combine(_dir, "catalog.json");
        File.WriteAllText(path, json);

        var e = Assert.Throws<ConfigurationException>(() => GeminiModelCatalog.Load(path));

        Assert.StartsWith($"--model-catalog '{path}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prices_CachedInputAndThinkingAreBilledAtTheirOwnRates()
    {
        var price = GeminiModelCatalog.Load().Prices().For("gemini-3.1-flash-lite")!;

        // 1M prompt tokens of which 800k cached, 100k answer, 100k thinking: 0.2*0.25 + 0.8*0.025 + 0.1*1.50 + 0.1*1.50.
        Assert.Equal(0.05m + 0.02m + 0.15m + 0.15m, price.Cost(1_000_000, 100_000, 100_000, cachedTokens: 800_000));
        Assert.Equal(0.5m * price.Cost(1_000, 10, 10), price.Discounted(0.5m).Cost(1_000, 10, 10));
    }
}
